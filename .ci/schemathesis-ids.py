"""Writes a schemathesis.toml whose path parameters are real objects of the demo, read through
the API with the token given: schemathesis cannot guess a slug or a uuid, so without these the
edition- and meeting-scoped operations would only ever answer 404."""
import json
import sys
import urllib.request

base, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
# With "evaluator", the token is an evaluator's and only their own evaluation is named.
evaluator = len(sys.argv) > 4 and sys.argv[4] == "evaluator"


def get(path):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


if evaluator:
    proposal = get("/api/v1/evaluations")["evaluations"][0]["proposal"]
    with open(out, "w") as f:
        f.write(f'[parameters]\n"path.proposal" = "{proposal}"\n')
        # The rubric is the call's, not the document's: a score for a criterion the call's
        # rubric lacks, or off its scale, is refused (422) though any map fits the schema.
        f.write('\n[[operations]]\ninclude-name = "PUT /api/v1/evaluations/{proposal}"\n')
        f.write('checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]\n')
    print(f"schemathesis parameters: proposal {proposal}")
    sys.exit(0)

edition = get("/api/v1/editions")["editions"][0]["slug"]
committee = next(c["id"] for c in get("/api/v1/committees")["committees"] if c["member"])
meeting = get(f"/api/v1/committees/{committee}/meetings")["meetings"][0]["id"]
detail = get(f"/api/v1/meetings/{meeting}")
person = get("/api/v1/people?limit=1")["people"][0]["id"]
call = get(f"/api/v1/editions/{edition}/calls")["calls"][0]["id"]
proposal = get(f"/api/v1/editions/{edition}/calls/{call}/proposals?status=submitted&limit=1")["proposals"][0]["id"]
parameters = {
    "path.edition": edition,
    "path.committee": committee,
    "path.meeting": meeting,
    "path.item": detail["items"][0]["id"],
    "path.person": person,
    "path.call": call,
    "path.proposal": proposal,
    # An evaluator in that call's pool.
    "path.user": get(f"/api/v1/editions/{edition}/calls/{call}/evaluators")["evaluators"][0]["user"],
    # A session of the draft programme (its number).
    "path.number": get(f"/api/v1/editions/{edition}/sessions?limit=1")["sessions"][0]["number"],
}
# The demo roundtable, one of its invitees (also a person of the directory) and its first table.
roundtable = get(f"/api/v1/editions/{edition}/roundtables")["roundtables"][0]["id"]
parameters["path.roundtable"] = roundtable
parameters["path.person"] = get(f"/api/v1/editions/{edition}/roundtables/{roundtable}")["invitees"][0]["person"]
parameters["path.round"] = 1
parameters["path.table"] = 1
# A webhook with one delivery (a ping), so its operations reach the handlers; its receiver is
# a name that resolves nowhere, and the fuzzer may well remove it (the rest then answer 404).
def post(path, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


webhook = post(f"/api/v1/editions/{edition}/webhooks",
               {"url": "https://receiver.invalid/kaigi", "events": ["decision.made"]})["webhook"]["id"]
post(f"/api/v1/editions/{edition}/webhooks/{webhook}/ping", {})
parameters["path.webhook"] = webhook
parameters["path.delivery"] = get(f"/api/v1/editions/{edition}/webhooks/{webhook}/deliveries")["deliveries"][0]["id"]
# The date poll for the meeting after this one (opened now, or the one opened before).
parameters["path.poll"] = post(f"/api/v1/meetings/{meeting}/poll", {})["id"]
if detail["action_items"]:
    parameters["path.action"] = detail["action_items"][0]["id"]
with open(out, "w") as f:
    f.write("[parameters]\n")
    for name, value in parameters.items():
        # Integers bare: a quoted number is a string to schemathesis, which then counts a
        # request made with it as one of the wrong type.
        f.write(f'"{name}" = {value}\n' if isinstance(value, int) else f'"{name}" = "{value}"\n')
    # A candidate date that ends before it starts fits the schema (two times, each well
    # formed) and is refused (422): no JSON Schema compares two fields.
    f.write('\n[[operations]]\ninclude-name = "POST /api/v1/polls/{poll}/slots"\n')
    f.write('checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]\n')
    # A setup is checked whole (breaks inside their day, availability on the edition's days,
    # no two rooms of one name): rules across fields and items that no JSON Schema states.
    f.write('\n[[operations]]\ninclude-name = "PUT /api/v1/editions/{edition}/setup"\n')
    f.write('checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]\n')
    # Rules across fields, or against what is stored, that no JSON Schema states: a call's
    # settings and rubrics are checked whole (a call closes after it opens, criteria and
    # questions have ids of their own, sub-themes and expertise name the edition's own themes, a
    # counted criterion weighs something); a meeting or an affiliation ends after it starts, a
    # meeting's time zone exists; a roundtable's themes are named, a report is filed under one
    # of them, a table pinned to is one of its tables and holds its seats.
    for name in ["POST /api/v1/people/{person}/affiliations",
                 "POST /api/v1/editions/{edition}/roundtables",
                 "POST /api/v1/editions/{edition}/roundtables/{roundtable}/invitees",
                 "PUT /api/v1/editions/{edition}/roundtables/{roundtable}/invitees/{person}",
                 "POST /api/v1/editions/{edition}/roundtables/{roundtable}/seating",
                 "PUT /api/v1/roundtables/{roundtable}/rounds/{round}/tables/{table}/report",
                 "POST /api/v1/committees/{committee}/meetings", "PUT /api/v1/meetings/{meeting}/details",
                 "POST /api/v1/editions/{edition}/calls", "PUT /api/v1/editions/{edition}/calls/{call}",
                 "PUT /api/v1/editions/{edition}/calls/{call}/rubric",
                 "PUT /api/v1/editions/{edition}/calls/{call}/evaluators/{user}"]:
        f.write(f'\n[[operations]]\ninclude-name = "{name}"\n')
        f.write('checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]\n')
print(f"schemathesis parameters: {parameters}")
