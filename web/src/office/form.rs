//! A form's draft that every callback reads and changes in its latest state. (A `use_state`
//! handle captured by a callback holds the value of the render it was made in: two changes before
//! the next render — a text field's `change` fires on blur, right before the submit's click —
//! would lose one.) The draft lives in a `RefCell`; a change redraws the form.

use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// A form's draft.
#[derive(Clone)]
pub struct FormRef<T> {
    draft: Rc<RefCell<T>>,
    redraw: UseForceUpdateHandle,
}

/// A draft for a form, made by `init` on the first render.
#[hook]
pub fn use_form<T: 'static>(init: impl FnOnce() -> T) -> FormRef<T> {
    let draft = use_mut_ref(init);
    let redraw = use_force_update();
    FormRef { draft, redraw }
}

impl<T: Clone + 'static> FormRef<T> {
    /// The draft as it is now.
    pub fn get(&self) -> T {
        self.draft.borrow().clone()
    }

    /// Replaces the draft (e.g. empties the form after a save).
    pub fn set(&self, value: T) {
        *self.draft.borrow_mut() = value;
        self.redraw.force_update();
    }

    /// Changes the draft in place and redraws.
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        f(&mut self.draft.borrow_mut());
        self.redraw.force_update();
    }

    /// The callback of one input or select: reads its value (and `checked`) into the draft.
    pub fn field(&self, apply: fn(&mut T, String, bool)) -> Callback<Event> {
        let this = self.clone();
        Callback::from(move |e: Event| {
            let (value, on) = match e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                Some(s) => (s.value(), false),
                None => {
                    let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
                    (input.value(), input.checked())
                }
            };
            apply(&mut this.draft.borrow_mut(), value, on);
            this.redraw.force_update();
        })
    }
}

/// An input's `change` callback as an `input` callback: a text field whose value the form holds
/// must follow every keystroke, or a redraw in between (an answer arriving) puts the old value back.
pub fn typed(on: Callback<Event>) -> Callback<InputEvent> {
    Callback::from(move |e: InputEvent| on.emit(e.into()))
}
