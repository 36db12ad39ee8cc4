"""The GraphQL documents the evaluation tests send, written once."""

from __future__ import annotations

CREATE_ROUND = """
mutation($input: CreateEvaluationRoundInput!) {
  createEvaluationRound(input: $input) {
    round { id status employeeThreshold statements { key } }
    userErrors { field message code }
  }
}"""

UPDATE_ROUND = """
mutation($input: UpdateEvaluationRoundInput!) {
  updateEvaluationRound(input: $input) {
    round { id employeeThreshold peerThreshold }
    userErrors { field message code }
  }
}"""

CHANGE_STATUS = """
mutation($input: ChangeEvaluationRoundStatusInput!) {
  changeEvaluationRoundStatus(input: $input) {
    round { id status releasedAt }
    userErrors { field message code }
  }
}"""

ADD_EVALUATEE = """
mutation($input: AddEvaluateeInput!) {
  addEvaluatee(input: $input) {
    evaluatee { id invitations { group email status } }
    userErrors { field message code }
  }
}"""

ADD_RESPONDENT = """
mutation($input: AddEvaluationRespondentInput!) {
  addEvaluationRespondent(input: $input) {
    invitation { id group status }
    userErrors { field message code }
  }
}"""

PROPOSE_PEER = """
mutation($input: ProposeEvaluationPeerInput!) {
  proposeEvaluationPeer(input: $input) {
    invitation { id group status }
    userErrors { field message code }
  }
}"""

DECIDE_PEER = """
mutation($input: DecideEvaluationPeerInput!) {
  decideEvaluationPeer(input: $input) {
    invitation { id status }
    userErrors { field message code }
  }
}"""

QUESTIONNAIRE = """
query($token: String!) {
  evaluationQuestionnaire(token: $token) {
    roundName evaluateeName group scaleMax closesAt
    fields { key name comment statements { key text choice score } }
  }
}"""

SUBMIT = """
mutation($input: SubmitEvaluationAnswersInput!) {
  submitEvaluationAnswers(input: $input) {
    questionnaire { fields { key comment statements { key choice score } } }
    userErrors { field message code }
  }
}"""

REPORT = """
query($evaluatee: ID!) {
  evaluationReport(evaluatee: $evaluatee) {
    personName roundName scaleMax pdfUrl notes
    respondents { group count }
    fields {
      key name commentsWithheldFrom
      comments { group text }
      statements {
        key text selfScore chefScore othersAverage gap trend suppressedGroups
        groups { group label average count distribution }
      }
    }
  }
}"""

READABLE = "{ readableEvaluationReports { id person { name } roundName } }"

AGGREGATE = """
query($round: ID!) {
  evaluationAggregate(round: $round) { orgUnitName fieldKey average hidden }
}"""


def rating(key: str, score: int | None = None, choice: str = "SCORE") -> dict[str, object]:
    return {"statementKey": key, "choice": choice, "score": score}
