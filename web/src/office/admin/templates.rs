//! 检查表: the latest published checklist of each premise type (synced to this computer), opened
//! in the editor; the county admin publishes the edited copy as a new version (a published version
//! is never changed: inspections keep the version they used).

use super::template_editor::Editor;
use crate::ctx::use_ctx;
use crate::i18n;
use xunjian_shared::premise::PremiseType;
use yew::prelude::*;

const TYPES: [PremiseType; 5] = [
    PremiseType::StreetShop,
    PremiseType::FamilyWorkshop,
    PremiseType::SmallVenue,
    PremiseType::Residential,
    PremiseType::Unit,
];

#[component]
pub fn Templates() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let open = use_state(|| None::<PremiseType>);
    let pick = |t: PremiseType| {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(Some(t)))
    };
    html! {
        <div data-testid="templates">
            <h2 class="page-title">{ o.nav_templates }</h2>
            <p class="muted small">{ o.templates_help }</p>
            <div class="table-wrap"><table class="table">
                <thead><tr><th>{ ctx.t().premise_type }</th><th>{ o.title }</th><th class="num">{ o.version }</th><th class="num">{ o.items }</th><th></th></tr></thead>
                <tbody>
                    { for TYPES.iter().map(|t| {
                        let latest = ctx.world.template_for(*t);
                        html! {
                            <tr data-type={t.as_str()}>
                                <td>{ i18n::premise_type(ctx.lang, *t) }</td>
                                <td>{ latest.map(|x| x.content.title.clone()).unwrap_or_default() }</td>
                                <td class="num">{ latest.map(|x| x.version.to_string()).unwrap_or_default() }</td>
                                <td class="num">{ latest.map(|x| x.content.items.len().to_string()).unwrap_or_default() }</td>
                                <td>if latest.is_some() { <button type="button" class="button secondary small-button" onclick={pick(*t)} data-testid="edit-template">{ o.open_editor }</button> }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table></div>
            if let Some(t) = *open {
                if let Some(latest) = ctx.world.template_for(t) {
                    <Editor key={format!("{}-{}", t.as_str(), latest.version)} template={latest.clone()} />
                }
            }
        </div>
    }
}
