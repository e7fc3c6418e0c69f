//! The two macros through which the app calls a screen: [`ctx!`] borrows
//! the app's shared parts as a [`Ctx`](crate::tui::context::Ctx) while a
//! screen field is borrowed beside it, and [`on_screen!`] runs the call and
//! applies the effects it left. They sit below `app` and `app_jobs` so that
//! both can use them without importing each other; they name the app's
//! fields and its `apply_effects`, not its type.

/// A context over the app's shared parts, leaving its screens free to be
/// borrowed beside it.
macro_rules! ctx {
    ($app:expr) => {
        $crate::tui::context::Ctx::new(
            &$app.study,
            &$app.repo,
            &$app.author,
            &$app.theme,
            &mut $app.background,
        )
    };
}
pub(crate) use ctx;

/// Calls `$body` with the screen in field `$field` and a context, then
/// applies the effects the call asked for; evaluates to the body's value.
macro_rules! on_screen {
    ($app:expr, $field:ident, |$screen:ident, $ctx:ident| $body:expr) => {{
        let mut $ctx = $crate::tui::screen_call::ctx!($app);
        let $screen = &mut $app.$field;
        let out = $body;
        let effects = $ctx.into_effects();
        $app.apply_effects(effects);
        out
    }};
}
pub(crate) use on_screen;
