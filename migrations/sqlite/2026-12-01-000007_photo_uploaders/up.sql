-- Everyone who has sent a photo's bytes, not only the first: a record may reference a photo its
-- author uploaded (or one already referenced inside the author's scope), and sending the bytes is
-- what proves one has the photo. Kept equivalent to the other backend's migration.
CREATE TABLE attachment_uploads (
    sha256      TEXT NOT NULL REFERENCES attachments (sha256),
    user_id     TEXT NOT NULL REFERENCES users (id),
    uploaded_at BIGINT NOT NULL,
    PRIMARY KEY (sha256, user_id)
);
INSERT INTO attachment_uploads (sha256, user_id, uploaded_at)
    SELECT sha256, uploaded_by, uploaded_at FROM attachments WHERE uploaded_by IS NOT NULL;
