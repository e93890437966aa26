// The tables of migrations/{sqlite,postgres}, written in the form `diesel print-schema` produces.
// Column types are the ones both backends share (Text, BigInt, Bool), so one schema serves both.

diesel::table! {
    org_units (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        level -> Text,
        parent_id -> Nullable<Text>,
        path -> Text,
        active -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        role -> Text,
        org_unit_id -> Text,
        phone -> Nullable<Text>,
        password_hash -> Text,
        active -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        device_name -> Nullable<Text>,
        created_at -> BigInt,
        expires_at -> BigInt,
        family_expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        target_kind -> Text,
        target_id -> Text,
        detail -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    premises (id) {
        id -> Text,
        grid_id -> Text,
        name -> Text,
        premise_type -> Text,
        address -> Text,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        accuracy_m -> Nullable<Double>,
        responsible_person -> Text,
        responsible_phone -> Nullable<Text>,
        notes -> Text,
        active -> Bool,
        version -> BigInt,
        created_by -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    premise_history (id) {
        id -> Text,
        premise_id -> Text,
        version -> BigInt,
        changed_by -> Nullable<Text>,
        at -> BigInt,
        change -> Text,
    }
}

diesel::table! {
    checklist_templates (id) {
        id -> Text,
        premise_type -> Text,
        version -> Integer,
        title -> Text,
        content -> Text,
        published_by -> Nullable<Text>,
        published_at -> BigInt,
    }
}

diesel::table! {
    inspections (id) {
        id -> Text,
        premise_id -> Text,
        template_id -> Text,
        inspector_id -> Text,
        started_at -> BigInt,
        finished_at -> BigInt,
        received_at -> BigInt,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        accuracy_m -> Nullable<Double>,
        body -> Text,
        corrects_id -> Nullable<Text>,
        hazard_count -> Integer,
    }
}

diesel::table! {
    hazards (id) {
        id -> Text,
        premise_id -> Text,
        inspection_id -> Nullable<Text>,
        item_id -> Nullable<Text>,
        category -> Text,
        severity -> Text,
        status -> Text,
        description -> Text,
        deadline -> Nullable<BigInt>,
        referred_to -> Nullable<Text>,
        brigade_accepted -> Bool,
        reminded_deadline -> Nullable<BigInt>,
        photos -> Text,
        registered_by -> Nullable<Text>,
        version -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
        closed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    hazard_events (id) {
        id -> Text,
        hazard_id -> Text,
        version -> BigInt,
        action -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_id -> Nullable<Text>,
        actor_role -> Text,
        at -> BigInt,
        device_at -> Nullable<BigInt>,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        note -> Text,
        payload -> Text,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        hazard_id -> Nullable<Text>,
        message -> Text,
        created_at -> BigInt,
        read_at -> Nullable<BigInt>,
        road_issue_id -> Nullable<Text>,
    }
}

diesel::table! {
    device_ops (op_id) {
        op_id -> Text,
        device_id -> Text,
        user_id -> Text,
        device_seq -> BigInt,
        kind -> Text,
        payload_hash -> Text,
        result -> Text,
        applied_at -> BigInt,
    }
}

diesel::table! {
    changes (seq) {
        seq -> BigInt,
        kind -> Text,
        entity_id -> Text,
        audience -> Text,
        removed -> Bool,
        at -> BigInt,
    }
}

diesel::table! {
    sync_counter (id) {
        id -> Integer,
        value -> BigInt,
    }
}

diesel::table! {
    server_meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    attachments (sha256) {
        sha256 -> Text,
        size -> BigInt,
        mime -> Text,
        uploaded_by -> Nullable<Text>,
        uploaded_at -> BigInt,
    }
}

diesel::table! {
    attachment_uploads (sha256, user_id) {
        sha256 -> Text,
        user_id -> Text,
        uploaded_at -> BigInt,
    }
}

diesel::table! {
    attachment_refs (sha256, kind, entity_id) {
        sha256 -> Text,
        kind -> Text,
        entity_id -> Text,
        scope_path -> Text,
    }
}

diesel::table! {
    roads (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        level -> Text,
        length_km -> Double,
        responsible -> Text,
        active -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    road_segments (id) {
        id -> Text,
        road_id -> Text,
        township_id -> Text,
        scope_path -> Text,
        from_km -> Double,
        to_km -> Double,
        polyline -> Text,
        worker_id -> Nullable<Text>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    patrol_workers (user_id) {
        user_id -> Text,
        birth_date -> Text,
        probation_month -> Nullable<Text>,
        contract_signed -> Bool,
        insured -> Bool,
        updated_at -> BigInt,
    }
}

diesel::table! {
    patrols (id) {
        id -> Text,
        worker_id -> Text,
        scope_path -> Text,
        started_at -> BigInt,
        ended_at -> BigInt,
        received_at -> BigInt,
        day -> Text,
        distance_m -> Double,
        body -> Text,
        track -> Text,
        faults -> Nullable<Text>,
        flags -> Text,
    }
}

diesel::table! {
    road_check_marks (check_id, segment_id) {
        check_id -> Text,
        segment_id -> Text,
        marked_by -> Nullable<Text>,
        reason -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    road_pay_schemes (township_id) {
        township_id -> Text,
        base_yuan -> Double,
        required_days -> Integer,
        deduction_per_missing_day_yuan -> Double,
        poor_below -> Double,
        poor_deduction_yuan -> Double,
        good_from -> Double,
        good_bonus_yuan -> Double,
        updated_by -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    road_hours (township_id) {
        township_id -> Text,
        days -> Text,
        start_time -> Text,
        end_time -> Text,
        updated_by -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    road_signers (township_id) {
        township_id -> Text,
        deputy_head_id -> Text,
        head_id -> Text,
        updated_by -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    road_months (township_id, month) {
        township_id -> Text,
        month -> Text,
        sheet -> Text,
        closed_by -> Text,
        closed_at -> BigInt,
        officer_id -> Nullable<Text>,
        officer_at -> Nullable<BigInt>,
        deputy_id -> Nullable<Text>,
        deputy_at -> Nullable<BigInt>,
        head_id -> Nullable<Text>,
        head_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    patrol_coverage (patrol_id, segment_id) {
        patrol_id -> Text,
        segment_id -> Text,
        covered -> Nullable<Double>,
    }
}

diesel::table! {
    road_checks (id) {
        id -> Text,
        kind -> Text,
        period -> Text,
        seed -> BigInt,
        draw -> Text,
        created_by -> Nullable<Text>,
        created_at -> BigInt,
        published_at -> Nullable<BigInt>,
        ranking -> Nullable<Text>,
        form -> Nullable<Text>,
    }
}

diesel::table! {
    roadside_parties (id) {
        id -> Text,
        segment_id -> Text,
        scope_path -> Text,
        village -> Text,
        kind -> Text,
        holder -> Text,
        phone -> Text,
        from_km -> Double,
        to_km -> Double,
        side -> Text,
        agreement_on -> Nullable<Text>,
        note -> Text,
        active -> Bool,
        updated_by -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    road_issue_parties (issue_id) {
        issue_id -> Text,
        party_id -> Text,
        named_by -> Nullable<Text>,
        named_at -> BigInt,
    }
}

diesel::table! {
    road_check_form (id) {
        id -> Text,
        form -> Text,
        updated_by -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    road_check_stations (check_id, township_id) {
        check_id -> Text,
        township_id -> Text,
        items -> Text,
        points -> Double,
        note -> Nullable<Text>,
        scored_by -> Nullable<Text>,
        at -> BigInt,
    }
}

diesel::table! {
    road_check_scores (check_id, segment_id) {
        check_id -> Text,
        segment_id -> Text,
        scored_by -> Nullable<Text>,
        items -> Text,
        score -> Double,
        at -> BigInt,
    }
}

diesel::joinable!(users -> org_units (org_unit_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(premises -> org_units (grid_id));
diesel::joinable!(inspections -> premises (premise_id));
diesel::joinable!(hazards -> premises (premise_id));
diesel::joinable!(hazard_events -> hazards (hazard_id));
diesel::joinable!(premise_history -> premises (premise_id));
diesel::joinable!(road_segments -> roads (road_id));
diesel::joinable!(roadside_parties -> road_segments (segment_id));
diesel::joinable!(patrol_coverage -> patrols (patrol_id));

diesel::allow_tables_to_appear_in_same_query!(
    org_units,
    users,
    refresh_tokens,
    audit_log,
    premises,
    premise_history,
    checklist_templates,
    inspections,
    hazards,
    hazard_events,
    notifications,
    device_ops,
    changes,
    sync_counter,
    server_meta,
    attachments,
    attachment_uploads,
    attachment_refs,
    roads,
    road_segments,
    patrol_workers,
    patrols,
    patrol_coverage,
    road_checks,
    road_check_scores,
    road_check_form,
    road_check_stations,
    road_works,
    road_issues,
    road_issue_events,
    roadside_parties,
    road_issue_parties,
);

diesel::table! {
    road_works (id) {
        id -> Text,
        segment_id -> Text,
        scope_path -> Text,
        kind -> Text,
        applicant -> Text,
        description -> Text,
        planned_from -> Text,
        planned_to -> Text,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        issue_id -> Nullable<Text>,
        status -> Text,
        decision_note -> Text,
        filed_by -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        version -> BigInt,
        created_at -> BigInt,
        decided_at -> Nullable<BigInt>,
        done_at -> Nullable<BigInt>,
        filed_with -> Text,
        approval_ref -> Text,
    }
}

diesel::table! {
    road_issues (id) {
        id -> Text,
        patrol_id -> Nullable<Text>,
        segment_id -> Text,
        scope_path -> Text,
        category -> Text,
        description -> Text,
        lat -> Double,
        lon -> Double,
        photos -> Text,
        works_id -> Nullable<Text>,
        status -> Text,
        deadline -> Nullable<BigInt>,
        referred_to -> Nullable<Text>,
        reminded_deadline -> Nullable<BigInt>,
        registered_by -> Nullable<Text>,
        version -> BigInt,
        found_at -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
        closed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    road_issue_events (id) {
        id -> Text,
        issue_id -> Text,
        version -> BigInt,
        action -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_id -> Nullable<Text>,
        actor_role -> Text,
        at -> BigInt,
        device_at -> Nullable<BigInt>,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        note -> Text,
        payload -> Text,
    }
}
