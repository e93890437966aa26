//! The county's default checklists for village fire safety, one per premise type, shipped as data
//! (`defaults.json`) and published as version 1 by `xunjian demo` or on first start.

use super::TemplateContent;

/// The default templates, parsed from the bundled JSON.
pub fn default_templates() -> Vec<TemplateContent> {
    serde_json::from_str(include_str!("defaults.json")).expect("bundled defaults.json is valid (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{AnswerKind, HazardCategory, Severity};
    use crate::premise::PremiseType;
    use std::collections::HashSet;

    /// Premise types whose default checklist has no major item, and why.
    /// Residential: hazards in a family home are general by default (fixed or rectified inside the
    /// grid); a home used for production or storage is registered as a family workshop, whose
    /// checklist carries the major three-in-one item.
    const NO_MAJOR_ITEM: [PremiseType; 1] = [PremiseType::Residential];

    fn template(t: PremiseType) -> TemplateContent {
        default_templates().into_iter().find(|c| c.premise_type == t).expect("a template for every type")
    }

    #[test]
    fn bundled_json_parses() {
        assert!(!default_templates().is_empty());
    }

    #[test]
    fn exactly_one_template_per_premise_type() {
        let templates = default_templates();
        assert_eq!(templates.len(), PremiseType::ALL.len());
        for t in PremiseType::ALL {
            let n = templates.iter().filter(|c| c.premise_type == t).count();
            assert_eq!(n, 1, "{} has {n} templates", t.as_str());
        }
    }

    #[test]
    fn every_template_validates() {
        for c in default_templates() {
            assert_eq!(c.validate(), Ok(()), "{}", c.premise_type.as_str());
        }
    }

    #[test]
    fn every_template_has_8_to_15_items() {
        for c in default_templates() {
            let n = c.items.len();
            assert!((8..=15).contains(&n), "{} has {n} items", c.premise_type.as_str());
        }
    }

    #[test]
    fn item_ids_unique_within_template() {
        for c in default_templates() {
            let mut seen = HashSet::new();
            for i in &c.items {
                assert!(seen.insert(i.id.as_str()), "{}: id '{}' used twice", c.premise_type.as_str(), i.id);
            }
        }
    }

    #[test]
    fn major_items_where_expected() {
        for c in default_templates() {
            let majors = c.items.iter().filter(|i| i.severity == Severity::Major).count();
            if NO_MAJOR_ITEM.contains(&c.premise_type) {
                assert_eq!(majors, 0, "{} is documented as having no major item", c.premise_type.as_str());
            } else {
                assert!(majors >= 1, "{} needs at least one major item", c.premise_type.as_str());
            }
        }
        for t in [PremiseType::StreetShop, PremiseType::FamilyWorkshop, PremiseType::SmallVenue, PremiseType::Unit] {
            assert!(template(t).items.iter().any(|i| i.severity == Severity::Major), "{}", t.as_str());
        }
    }

    #[test]
    fn major_items_make_hazards() {
        for c in default_templates() {
            for i in c.items.iter().filter(|i| i.severity == Severity::Major) {
                assert!(i.makes_hazard, "{}: major item '{}' makes no hazard", c.premise_type.as_str(), i.id);
            }
        }
    }

    #[test]
    fn ebike_and_evacuation_failures_need_a_photo() {
        for c in default_templates() {
            for i in &c.items {
                let checked = matches!(i.category, HazardCategory::EBike | HazardCategory::Evacuation)
                    && i.makes_hazard
                    && matches!(i.answer, AnswerKind::YesNo { .. });
                if checked {
                    assert!(
                        i.photo_required_on_fail,
                        "{}: '{}' needs photo_required_on_fail",
                        c.premise_type.as_str(),
                        i.id
                    );
                }
            }
        }
    }

    #[test]
    fn every_hazard_item_says_its_finding_in_words_not_as_a_question() {
        for c in default_templates() {
            for i in c.items.iter().filter(|i| i.makes_hazard) {
                let (zh, en) = (i.finding_zh.as_deref().unwrap_or(""), i.finding_en.as_deref().unwrap_or(""));
                assert!(!zh.is_empty() && !en.is_empty(), "{}: '{}' has no finding", c.premise_type.as_str(), i.id);
                assert!(!zh.contains('？') && !zh.contains('?') && !en.contains('?'), "{}: {zh} / {en}", i.id);
                assert_eq!(i.hazard_description(None), zh);
            }
        }
    }

    #[test]
    fn an_item_that_says_it_may_be_left_blank_is_optional() {
        for c in default_templates() {
            for i in &c.items {
                let says = i.text_zh.contains("可不填") || i.text_en.contains("(optional)");
                assert_eq!(i.optional, says, "{}: '{}' says one thing, is another", c.premise_type.as_str(), i.id);
            }
        }
    }

    #[test]
    fn exactly_one_mandatory_overview_photo() {
        for c in default_templates() {
            let photos: Vec<_> = c.items.iter().filter(|i| i.answer == AnswerKind::Photo).collect();
            assert_eq!(photos.len(), 1, "{}", c.premise_type.as_str());
            assert!(!photos[0].makes_hazard && !photos[0].allow_not_applicable, "{}", c.premise_type.as_str());
        }
    }

    #[test]
    fn text_items_make_no_hazard() {
        for c in default_templates() {
            for i in c.items.iter().filter(|i| i.answer == AnswerKind::Text) {
                assert!(!i.makes_hazard, "{}: text item '{}'", c.premise_type.as_str(), i.id);
            }
        }
    }

    #[test]
    fn number_items_have_a_unit_and_a_bound() {
        for c in default_templates() {
            for i in &c.items {
                if let AnswerKind::Number { min_ok, max_ok, unit } = &i.answer {
                    assert!(
                        unit.as_deref().is_some_and(|u| !u.trim().is_empty()),
                        "{}: '{}'",
                        c.premise_type.as_str(),
                        i.id
                    );
                    assert!(
                        min_ok.is_some() || max_ok.is_some(),
                        "{}: '{}' never fails",
                        c.premise_type.as_str(),
                        i.id
                    );
                }
            }
        }
    }

    #[test]
    fn street_shop_requires_at_least_two_extinguishers() {
        let shop = template(PremiseType::StreetShop);
        let item = shop.items.iter().find(|i| i.id == "extinguisher-count").expect("extinguisher count item");
        assert!(matches!(item.answer, AnswerKind::Number { min_ok: Some(n), .. } if n >= 2.0));
    }
}
