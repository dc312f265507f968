"""Writes a schemathesis.toml whose path parameters are real objects of the demo, read through
the API with the token given: schemathesis cannot guess a slug or a uuid, so without these the
edition- and meeting-scoped operations would only ever answer 404."""
import json
import sys
import urllib.request

base, token, out = sys.argv[1], sys.argv[2], sys.argv[3]


def get(path):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


edition = get("/api/v1/editions")["editions"][0]["slug"]
committee = next(c["id"] for c in get("/api/v1/committees")["committees"] if c["member"])
meeting = get(f"/api/v1/committees/{committee}/meetings")["meetings"][0]["id"]
detail = get(f"/api/v1/meetings/{meeting}")
person = get("/api/v1/people?limit=1")["people"][0]["id"]
parameters = {
    "path.edition": edition,
    "path.committee": committee,
    "path.meeting": meeting,
    "path.item": detail["items"][0]["id"],
    "path.person": person,
}
if detail["action_items"]:
    parameters["path.action"] = detail["action_items"][0]["id"]
with open(out, "w") as f:
    f.write("[parameters]\n")
    for name, value in parameters.items():
        f.write(f'"{name}" = "{value}"\n')
print(f"schemathesis parameters: {parameters}")
