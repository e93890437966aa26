//! Every string the UI shows, in Chinese (the default: the users are county grid workers) and
//! English. The choice is kept in localStorage so it survives reloads and works offline.

use gloo::storage::{LocalStorage, Storage};

const STORAGE_KEY: &str = "xunjian.lang";

/// The UI language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The saved choice, Chinese when none was made.
    pub fn load() -> Self {
        match LocalStorage::get::<String>(STORAGE_KEY).as_deref() {
            Ok("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// Remembers the choice and tells the page, so screen readers and hyphenation follow it.
    pub fn apply(self) {
        // A full or blocked storage only costs the choice on reload; the switch still happens.
        let _ = LocalStorage::set(STORAGE_KEY, self.code());
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", self.html_lang());
            }
            doc.set_title(self.t().app_name);
        }
    }

    /// The other language, for the toggle.
    pub fn other(self) -> Self {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The strings of this language.
    pub fn t(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// Picks the server's message in this language (problem documents carry both).
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The UI strings of one language.
pub struct Texts {
    pub app_name: &'static str,
    /// Label of the toggle: the name of the *other* language, in that language.
    pub switch_lang: &'static str,
    pub login_title: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub login: &'static str,
    pub logging_in: &'static str,
    pub fill_both: &'static str,
    pub cannot_connect: &'static str,
    pub unexpected: fn(u16) -> String,
    /// Appended to the server's message on 429.
    pub retry_after: fn(u64) -> String,
    pub role: &'static str,
    pub org: &'static str,
    pub logout: &'static str,
    pub offline: &'static str,
}

static ZH: Texts = Texts {
    app_name: "消防安全网格巡检",
    switch_lang: "English",
    login_title: "登录",
    username: "用户名",
    password: "密码",
    login: "登录",
    logging_in: "正在登录…",
    fill_both: "请输入用户名和密码",
    cannot_connect: "无法连接服务器，请检查网络后重试",
    unexpected: |status| format!("服务器返回了意外的响应（HTTP {status}）"),
    retry_after: |secs| format!("（{secs} 秒后可再试）"),
    role: "角色",
    org: "所属单位",
    logout: "退出登录",
    offline: "离线：显示本机保存的信息",
};

static EN: Texts = Texts {
    app_name: "Fire-safety inspection",
    switch_lang: "中文",
    login_title: "Log in",
    username: "Username",
    password: "Password",
    login: "Log in",
    logging_in: "Logging in…",
    fill_both: "Enter your username and password",
    cannot_connect: "Cannot reach the server. Check the network and try again",
    unexpected: |status| format!("The server gave an unexpected answer (HTTP {status})"),
    retry_after: |secs| format!(" (try again in {secs} s)"),
    role: "Role",
    org: "Unit",
    logout: "Log out",
    offline: "Offline: showing what is saved on this phone",
};
