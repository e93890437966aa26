//! The error contract: every error the server returns is an RFC 9457 problem document carrying one
//! of these stable machine codes, with a message in Chinese (shown to users) and English.

use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = ($code:literal, $status:literal, $zh:literal, $en:literal), )*) => {
        /// A stable machine-readable error code. Clients match on it; never rename a code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        crate::wire_name::wire_names!(ErrorCode, ErrorCode::ALL);

        impl ErrorCode {
            /// Every code, for documentation and exhaustive tests.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as it appears on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }

            /// The HTTP status the server answers with.
            pub fn status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status,)* }
            }

            /// The message shown to users (zh-CN).
            pub fn message_zh(self) -> &'static str {
                match self { $(ErrorCode::$variant => $zh,)* }
            }

            /// The message in English.
            pub fn message_en(self) -> &'static str {
                match self { $(ErrorCode::$variant => $en,)* }
            }
        }
    };
}

error_codes! {
    /// The request body is not valid JSON, has unknown fields or wrong types.
    InvalidJson = ("invalid_json", 400, "请求内容格式错误", "The request body is not valid JSON for this endpoint"),
    /// A query string or path parameter could not be read.
    InvalidParameter = ("invalid_parameter", 400, "请求参数错误", "A query or path parameter is invalid"),
    /// The request was well-formed but a field value breaks a rule.
    ValidationFailed = ("validation_failed", 422, "填写的内容不符合要求", "A field value is not acceptable"),
    /// The password does not meet the password policy.
    WeakPassword = ("weak_password", 422, "密码至少 8 位", "The password must have at least 8 characters"),
    /// The body is larger than this endpoint accepts.
    PayloadTooLarge = ("payload_too_large", 413, "提交的内容太大", "The request body is too large"),
    /// The body is not sent as application/json.
    UnsupportedMediaType = ("unsupported_media_type", 415, "请求内容类型不支持", "Send the body as application/json"),
    /// No credentials were sent.
    Unauthenticated = ("unauthenticated", 401, "请先登录", "Log in first"),
    /// The access token is malformed, tampered with, expired or not an access token.
    InvalidToken = ("invalid_token", 401, "登录已失效，请重新登录", "The access token is invalid or expired"),
    /// Wrong username or password (deliberately the same for both).
    InvalidCredentials = ("invalid_credentials", 401, "用户名或密码错误", "Wrong username or password"),
    /// The refresh token is unknown, used, expired or revoked.
    InvalidRefreshToken = ("invalid_refresh_token", 401, "登录已过期，请重新登录", "The refresh token is invalid, used or expired; log in again"),
    /// The account has been disabled by an administrator.
    AccountDisabled = ("account_disabled", 403, "账号已停用，请联系管理员", "This account is disabled"),
    /// Too many failed logins; wait for the Retry-After seconds.
    TooManyAttempts = ("too_many_attempts", 429, "登录失败次数过多，请稍后再试", "Too many failed attempts; try again later"),
    /// The user's role may not do this.
    Forbidden = ("forbidden", 403, "没有权限执行此操作", "Your role may not do this"),
    /// The target lies outside the user's part of the county tree.
    OutOfScope = ("out_of_scope", 403, "超出本人管辖范围", "This is outside your area"),
    /// No such resource (or not visible to this user).
    NotFound = ("not_found", 404, "未找到", "Not found"),
    /// The method is not supported on this resource.
    MethodNotAllowed = ("method_not_allowed", 405, "不支持的操作", "Method not allowed"),
    /// No representation the client accepts (`Accept`).
    NotAcceptable = ("not_acceptable", 406, "不支持请求的格式", "No acceptable representation"),
    /// A conditional request's precondition (`If-Match`, `If-Unmodified-Since`) failed.
    PreconditionFailed = ("precondition_failed", 412, "请求的前提条件不成立", "A precondition of the request failed"),
    /// The requested byte range lies outside the file.
    RangeNotSatisfiable = ("range_not_satisfiable", 416, "请求的范围无效", "The requested range is not satisfiable"),
    /// A unique value (code, username) is already taken.
    AlreadyExists = ("already_exists", 409, "已存在相同的记录", "A record with this value already exists"),
    /// The change would break the county tree or another record's rule.
    Conflict = ("conflict", 409, "操作与现有数据冲突", "The change conflicts with existing data"),
    /// The hazard's status does not allow this action.
    TransitionNotAllowed = ("transition_not_allowed", 409, "当前状态下不能执行此操作", "This action is not allowed in the hazard's current status"),
    /// The user's role may not take this action on a hazard.
    RoleNotAllowed = ("role_not_allowed", 409, "您的角色不能执行此操作", "Your role may not take this action"),
    /// The referral is with the other receiver.
    NotTheReceiver = ("not_the_receiver", 409, "该隐患未移交给本单位", "This referral is not addressed to you"),
    /// The record changed since the client read it.
    StaleVersion = ("stale_version", 409, "记录已被他人更新，请刷新后重试", "The record was changed meanwhile; reload and try again"),
    /// The action would change nothing.
    NoChange = ("no_change", 409, "没有需要变更的内容", "Nothing to change"),
    /// A deadline is in the past, too far ahead, or (overdue) not yet passed.
    InvalidDeadline = ("invalid_deadline", 422, "整改期限不正确", "The deadline is not acceptable"),
    /// Photos are required for this action.
    EvidenceRequired = ("evidence_required", 422, "请拍照留证", "A photo is required"),
    /// A reason or outcome must be written.
    ReasonRequired = ("reason_required", 422, "请填写原因或结果", "A reason or outcome is required"),
    /// Someone other than the signer of this step tried to sign a month's pay sheet.
    NotTheSigner = ("not_the_signer", 403, "您不是这一步的签字人", "You are not the signer of this step"),
    /// Only an inspector drawn for a road check (双随机) scores its segments or marks them not checkable.
    NotAnInspector = ("not_an_inspector", 403, "您不是本次抽查抽中的检查人员，不能评分", "Only an inspector drawn for this check may score its segments"),
    /// A road check is published only when every drawn segment is scored or marked not checkable,
    /// and every township's station items (第二十四条) are scored.
    SegmentsUnscored = ("segments_unscored", 409, "还有抽中的路段或乡镇站所考核项未评分，不能通报", "Some drawn segments or some townships' station items are not scored yet; the check cannot be published"),
    /// A month's acts come in order: close, the 交管员's, the 分管副职's signature, the 乡(镇)长's approval.
    OutOfOrder = ("out_of_order", 409, "请按顺序办理：结算、交管员签字、分管副职签字、乡(镇)长审批", "Acts on a month come in order: close, sign (officer), sign (deputy head), approve"),
    /// The app is older than the server's sync protocol: update it (data stays on the phone).
    ClientOutdated = ("client_outdated", 426, "应用版本过旧，请更新后再同步", "This app is too old for the server; update it, then sync"),
    /// An operation id was sent again with different content.
    OpIdReused = ("op_id_reused", 409, "操作编号重复但内容不同", "This operation id was already used for different content"),
    /// The photo's bytes do not match its SHA-256 name.
    HashMismatch = ("hash_mismatch", 422, "照片校验失败，请重新上传", "The file does not match its SHA-256"),
    /// The file is not a JPEG, PNG or WebP image.
    UnsupportedFileType = ("unsupported_file_type", 415, "只能上传 JPEG、PNG 或 WebP 照片", "Only JPEG, PNG or WebP images"),
    /// The database or another dependency is unavailable.
    ServiceUnavailable = ("service_unavailable", 503, "服务暂时不可用，请稍后再试", "The service is temporarily unavailable"),
    /// An unexpected server error; details are in the server log, never in the response.
    Internal = ("internal", 500, "服务器内部错误", "Internal server error"),
}

/// The body of every error response (`application/problem+json`, RFC 9457).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the problem type: `urn:xunjian:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short English title.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// Stable machine code.
    pub code: ErrorCode,
    /// Message for the user, in Chinese.
    pub message: String,
    /// The same message in English.
    pub message_en: String,
    /// What exactly was wrong (field name, limit), when it helps; never an internal cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Problem {
    /// The problem document for a code, with an optional detail.
    pub fn new(code: ErrorCode, detail: Option<String>) -> Self {
        Problem {
            type_uri: format!("urn:xunjian:problem:{}", code.as_str()),
            title: code.message_en().to_owned(),
            status: code.status(),
            code,
            message: code.message_zh().to_owned(),
            message_en: code.message_en().to_owned(),
            detail,
        }
    }
}

impl From<crate::hazard::Refusal> for ErrorCode {
    fn from(r: crate::hazard::Refusal) -> Self {
        use crate::hazard::Refusal as R;
        match r {
            R::TransitionNotAllowed => ErrorCode::TransitionNotAllowed,
            R::RoleNotAllowed => ErrorCode::RoleNotAllowed,
            R::NotTheReceiver => ErrorCode::NotTheReceiver,
            R::InvalidDeadline => ErrorCode::InvalidDeadline,
            R::EvidenceRequired => ErrorCode::EvidenceRequired,
            R::ReasonRequired => ErrorCode::ReasonRequired,
            R::NoChange => ErrorCode::NoChange,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case_and_match_serde() {
        let mut seen = HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {}", code.as_str());
            assert!(code.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            let wire = serde_json::to_string(&code).unwrap();
            assert_eq!(wire, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn every_code_is_an_error_status_with_both_messages() {
        for &code in ErrorCode::ALL {
            assert!((400..600).contains(&code.status()), "{code:?}");
            assert!(!code.message_zh().is_empty() && !code.message_en().is_empty());
        }
    }

    #[test]
    fn problem_carries_code_status_and_type() {
        let p = Problem::new(ErrorCode::TooManyAttempts, None);
        assert_eq!(p.status, 429);
        assert_eq!(p.type_uri, "urn:xunjian:problem:too_many_attempts");
        let v: serde_json::Value = serde_json::to_value(&p).unwrap();
        assert_eq!(v["code"], "too_many_attempts");
        assert!(v.get("detail").is_none());
    }
}

#[cfg(test)]
mod docs_tests {
    use super::ErrorCode;

    #[test]
    fn docs_errors_md_lists_every_code_with_its_status() {
        let doc = include_str!("../../docs/errors.md");
        for &code in ErrorCode::ALL {
            let row = format!("| `{}` | {} |", code.as_str(), code.status());
            assert!(doc.contains(&row), "docs/errors.md lacks {row}");
        }
    }
}
