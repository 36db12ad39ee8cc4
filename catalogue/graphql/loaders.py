"""All DataLoaders of one request, created fresh so nothing is cached across requests."""

from __future__ import annotations

from sqlalchemy.orm import Session

from catalogue.graphql.competence import dataloaders as competence
from catalogue.graphql.courses import dataloaders as courses
from catalogue.graphql.dialogue import dataloaders as dialogue
from catalogue.graphql.enrolment import dataloaders as enrolment
from catalogue.graphql.evaluation import dataloaders as evaluation
from catalogue.graphql.people import dataloaders as people
from catalogue.graphql.profile import dataloaders as profile
from catalogue.graphql.search import dataloaders as search
from catalogue.graphql.sync import dataloaders as sync


class Loaders:
    def __init__(self, session: Session) -> None:
        self.profile_by_id = profile.profile_by_id(session)
        self.theme_by_id = profile.theme_by_id(session)
        self.themes_by_profile_id = profile.themes_by_profile_id(session)
        self.themes_by_field_id = profile.themes_by_field_id(session)
        self.field_by_id = profile.field_by_id(session)
        self.fields_by_profile_id = profile.fields_by_profile_id(session)
        self.statement_by_id = profile.statement_by_id(session)
        self.statements_by_field_id = profile.statements_by_field_id(session)
        self.statements_by_profile_id = profile.statements_by_profile_id(session)
        self.course_by_id = courses.course_by_id(session)
        self.activity_by_id = courses.activity_by_id(session)
        self.run_by_id = courses.run_by_id(session)
        self.activities_by_course_id = courses.activities_by_course_id(session)
        self.runs_by_course_id = courses.runs_by_course_id(session)
        self.run_session_by_id = courses.run_session_by_id(session)
        self.sessions_by_run_id = courses.sessions_by_run_id(session)
        self.seats_taken_by_run_id = courses.seats_taken_by_run_id(session)
        self.person_by_id = people.person_by_id(session)
        self.org_unit_by_id = people.org_unit_by_id(session)
        self.link_by_id = competence.link_by_id(session)
        self.links_by_statement_id = competence.links_by_statement_id(session)
        self.links_by_course_id = competence.links_by_course_id(session)
        self.links_by_activity_id = competence.links_by_activity_id(session)
        self.published_courses_by_statement_id = competence.published_courses_by_statement_id(
            session
        )
        self.enrolment_by_id = enrolment.enrolment_by_id(session)
        self.enrolments_by_person_id = enrolment.enrolments_by_person_id(session)
        self.requests_by_person_id = enrolment.requests_by_person_id(session)
        self.focus_statements_by_enrolment_id = enrolment.focus_statements_by_enrolment_id(session)
        self.completion_by_id = enrolment.completion_by_id(session)
        self.completions_by_person_id = enrolment.completions_by_person_id(session)
        self.progress_by_person_id = enrolment.progress_by_person_id(session)
        self.history_by_enrolment_id = enrolment.history_by_enrolment_id(session)
        self.sync_run_by_id = sync.sync_run_by_id(session)
        self.search_matches_by_course = search.search_matches_by_course(session)
        self.search_synonym_by_id = search.search_synonym_by_id(session)
        self.evaluation_round_by_id = evaluation.round_by_id(session)
        self.evaluatee_by_id = evaluation.evaluatee_by_id(session)
        self.evaluation_invitation_by_id = evaluation.invitation_by_id(session)
        self.evaluatees_by_round_id = evaluation.evaluatees_by_round_id(session)
        self.invitations_by_evaluatee_id = evaluation.invitations_by_evaluatee_id(session)
        self.statements_by_evaluation_round_id = evaluation.statements_by_round_id(session)
        self.response_counts_by_evaluatee_id = evaluation.response_counts_by_evaluatee_id(session)
        self.dialogue_by_id = dialogue.dialogue_by_id(session)
        self.cycle_by_id = dialogue.cycle_by_id(session)
        self.role_profile_by_id = dialogue.role_profile_by_id(session)
        self.focus_by_id = dialogue.focus_by_id(session)
        self.action_by_id = dialogue.action_by_id(session)
        self.focus_by_dialogue_id = dialogue.focus_by_dialogue_id(session)
        self.actions_by_focus_id = dialogue.actions_by_focus_id(session)
        self.snapshots_by_dialogue_id = dialogue.snapshots_by_dialogue_id(session)
        self.dialogues_by_leader_id = dialogue.dialogues_by_leader_id(session)
