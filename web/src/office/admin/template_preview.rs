//! A checklist as the grid worker's phone will show it: numbered questions with their answers, the
//! category and severity, and what a failure needs.

use crate::ctx::Ctx;
use crate::i18n;
use xunjian_shared::checklist::{AnswerKind, TemplateContent};
use yew::prelude::*;

/// The preview (a plain function, not a component).
pub fn preview(ctx: &Ctx, c: &TemplateContent) -> Html {
    let t = ctx.t();
    html! {
        <section class="preview" data-testid="template-preview">
            <h3>{ &c.title }</h3>
            <ol class="checklist">
                { for c.items.iter().map(|item| {
                    let answers = match &item.answer {
                        AnswerKind::YesNo { .. } => vec![t.yes, t.no],
                        AnswerKind::Number { .. } => vec!["123"],
                        AnswerKind::Text => vec!["…"],
                        AnswerKind::Photo => vec![t.take_photo],
                    };
                    html! {
                        <li class="item">
                            <p class="q">{ ctx.lang.pick(&item.text_zh, &item.text_en) }</p>
                            <div class="choices">
                                { for answers.iter().map(|a| html! { <span class="choice">{ *a }</span> }) }
                                if item.allow_not_applicable { <span class="choice">{ t.not_applicable }</span> }
                            </div>
                            <p class="small muted">
                                { i18n::category(ctx.lang, item.category) }
                                if item.makes_hazard { { " · " }{ i18n::severity(ctx.lang, item.severity) } }
                                if item.fixable_on_spot { { " · " }{ t.fix_on_spot } }
                                if item.photo_required_on_fail { { " · 📷" } }
                            </p>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
