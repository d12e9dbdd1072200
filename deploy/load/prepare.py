"""Personal questionnaire links for the load test: tokens are stored only as hashes, so fresh ones are
issued to the demo school's people and written, one a line, to the file given (never on a real database).

Usage: DATABASE_URL=… python deploy/load/prepare.py var/load/tokens.txt
"""

import datetime
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project's root
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
django.setup()

from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from organisations.models import Organisation, User  # noqa: E402
from participants.models import Invitation, Person, QuestionnaireTemplate  # noqa: E402
from participants.questionnaires.services import invitation_reissue, invitations_send  # noqa: E402

school = Organisation.objects.get(slug="school-1")
curator = User.objects.get(username="curator")
people = list(Person.objects.filter(organisation=school, anonymised_at__isnull=True).values_list("pk", flat=True))
templates = QuestionnaireTemplate.objects.filter(Q(organisation=None) | Q(organisation=school), is_current=True)
for template in templates.order_by("pk")[:3]:
    invitations_send(
        organisation=school,
        template=template,
        people=people,
        expires_at=timezone.now() + datetime.timedelta(days=30),
        user=curator,
        repeat=True,
    )
# Every unanswered invitation gets its link issued anew, the ones just sent included: a re-issue
# replaces the link's token, so only these tokens are valid (keeping those of the sending above
# made half the respondents open dead links).
tokens = []
for invitation in Invitation.objects.filter(organisation=school, answered_at__isnull=True):
    try:
        tokens.append(invitation_reissue(organisation=school, invitation=invitation).token)
    except Exception:  # noqa: S112 - answered or without consent meanwhile: no link
        continue
with open(sys.argv[1], "w") as out:
    out.write("\n".join(tokens) + "\n")
print(f"{len(tokens)} questionnaire links")
