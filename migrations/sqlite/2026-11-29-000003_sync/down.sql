DROP TABLE attachment_refs;
DROP TABLE attachments;
DROP TABLE server_meta;
DROP TABLE sync_counter;
DROP TABLE changes;
DROP TABLE device_ops;
