//! What every screen of the logged-in app gets from the shell.

use crate::i18n::{Lang, OfficeTexts, Texts};
use crate::recorder::{Live, Recorder};
use crate::route::Route;
use crate::store::idb::Db;
use crate::store::Local;
use crate::sync::runner::{Runner, Status};
use crate::world::World;
use std::rc::Rc;
use xunjian_shared::hazard::Hazard;
use xunjian_shared::user::Me;
use xunjian_shared::Role;
use yew::prelude::*;

#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub db: Rc<Db>,
    pub me: Rc<Me>,
    pub world: Rc<World>,
    /// The closed hazards, read just after the phone's other records (none until then).
    pub closed: Option<Rc<Vec<Local<Hazard>>>>,
    /// Everything of the last change is read, closed hazards too.
    pub settled: bool,
    /// Raised by every change of the phone's data.
    pub rev: u32,
    pub status: Status,
    /// The patrol being recorded (figures raised by each saved fix).
    pub live: Live,
    pub recorder: Rc<Recorder>,
    /// The server with this session (the office screens call it directly).
    pub runner: Rc<Runner>,
    pub route: Route,
    /// The database was found wiped at start (or is suspected to have been, at sign-in).
    pub wiped: crate::store::marker::Wiped,
    /// A screen saved something: reload the data, recount, sync soon.
    pub saved: Callback<()>,
    pub sync_now: Callback<()>,
    pub logout: Callback<()>,
    pub set_lang: Callback<Lang>,
    /// A long form is being filled (true) or not any more: the shell hides the tab bar meanwhile.
    pub filling: Callback<bool>,
}

impl PartialEq for Ctx {
    fn eq(&self, o: &Self) -> bool {
        self.lang == o.lang
            && self.rev == o.rev
            && self.status == o.status
            && self.live == o.live
            && self.route == o.route
            && self.wiped == o.wiped
            && Rc::ptr_eq(&self.me, &o.me)
            && Rc::ptr_eq(&self.world, &o.world)
            && self.settled == o.settled
            && match (&self.closed, &o.closed) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}

impl Ctx {
    pub fn t(&self) -> &'static Texts {
        self.lang.t()
    }

    /// The office screens' strings.
    pub fn o(&self) -> &'static OfficeTexts {
        self.lang.o()
    }

    pub fn role(&self) -> Role {
        self.me.user.role
    }

    /// A hazard on the phone, open or closed.
    pub fn hazard(&self, id: &str) -> Option<&Local<Hazard>> {
        let closed = self.closed.as_deref().map_or(&[][..], |c| c);
        self.world.hazard(id).or_else(|| closed.iter().find(|h| h.value.id.to_string() == id))
    }

    /// Every hazard on the phone read so far: the open ones, then the closed ones.
    pub fn all_hazards(&self) -> impl Iterator<Item = &Local<Hazard>> {
        self.world.hazards.iter().chain(self.closed.iter().flat_map(|c| c.iter()))
    }
}

/// The context, inside the logged-in shell.
#[hook]
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().expect("inside the shell")
}
