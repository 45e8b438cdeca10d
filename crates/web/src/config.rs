//! Web settings, filled from the command line and environment by the `keepsafe` binary.

use chrono::Duration;
use keepsafe_domain::sign_in::SignInPolicy;

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure`. Browsers accept secure cookies from http://localhost and
    /// http://127.0.0.1, so this stays on except behind unusual development set-ups.
    pub secure_cookies: bool,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, however active.
    pub session_absolute: Duration,
    pub sign_in: SignInPolicy,
    /// The address people reach keepsafe at (`--base-url`, e.g. https://keepsafe.example.org),
    /// for links that leave the browser, such as calendar feed addresses. Without it, a page
    /// uses the address its request came to.
    pub public_base_url: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: true,
            session_idle: Duration::minutes(30),
            session_absolute: Duration::hours(12),
            sign_in: SignInPolicy::default(),
            public_base_url: None,
        }
    }
}
