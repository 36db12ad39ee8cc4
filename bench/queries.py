"""The GraphQL documents the benchmarks send, as a leader's UI and the LMS would."""

from __future__ import annotations

PROFILE = """
query Profile {
  competenceProfile {
    version title intro
    themes { key name }
    fields {
      key name description
      themes { key name }
      statements {
        key text
        links { strength rationale course { code title } }
        courses(first: 5) { totalCount nodes { code title kind } }
      }
    }
  }
}
"""

CATALOGUE_PAGE = """
query CataloguePage($statement: String) {
  courses(first: 20, filter: {statementKey: $statement}, orderBy: NEXT_START) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id code title summary kind provider language durationHours ects priceDkk
      runs { id startsAt endsAt location online capacity seatsLeft enrolmentDeadline
             approvalRequired }
      competenceLinks { strength rationale statement { key text } }
    }
  }
}
"""

PROGRESS = """
query MyProgress {
  me {
    name
    progress {
      covered planned open
      fields {
        field { key name }
        covered planned open
        statements { status focus statement { key text } coveredBy { code title }
                     plannedIn { code title } }
      }
    }
  }
}
"""

ENROL = """
mutation Enrol($run: ID!) {
  enrol(input: {courseRunId: $run}) {
    enrolment { id status waitlistPosition }
    userErrors { field message code }
  }
}
"""
