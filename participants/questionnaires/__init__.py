"""Questionnaires: one home below mentorship (organisations ← participants ← … ← reports).

- models: QuestionnaireTemplate, Question, Invitation, Response stay in participants/models.py
  (they share its migrations);
- services.py: versioned templates, one-time links (send, re-issue, class sheets), saving answers
  and carrying them into the profile;
- selectors.py: reused reads — who of a list of people was sent and who answered;
- results.py: counting the answers (per question, entry against exit, quarterly dynamics,
  satisfaction and growth for the KPIs); pairs are above participants, so a pair or form filter
  arrives as a person-id subquery built by mentorship.selectors.results_filter;
- forms.py, views.py: the school's pages (builder, sending, links) and the answering page;
- demo.py: the demo's questionnaires and answers.

Thin entries above: mentorship/views_questionnaires.py sends to a pair or a programme,
reports/analytics/views_questionnaires.py shows the results and questionnaire_results.py writes
their XLSX file.
"""
