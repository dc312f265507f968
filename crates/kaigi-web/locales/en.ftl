# kaigi — English. Keep keys in step with ja.ftl (a test checks both ways).

skip-to-content = Skip to content
nav-label = Main
nav-home = Home
nav-committees = Committees
nav-people = People
nav-organisations = Organisations
nav-admin = Administration
sign-in = Sign in
sign-out = Sign out
footer-text = kaigi — committees, calls for proposals, programmes and participation for multistakeholder forums.
save = Save
yes = Yes
no = No

home-title = Forums and committees
home-lede = Editions of the forum, the committees that prepare them, and their year-round work.
home-editions = Editions
home-no-editions = No edition yet.
home-proposals = proposals
home-committees = Committees
home-people-count = People in the directory

login-title = Sign in
login-failed = The email address or password is not right.
login-locked = Too many failed sign-ins for this account or address. Wait 15 minutes and try again.
forgot-link = Forgot your password?
forgot-title = Reset your password
forgot-lede = Enter the email address of your account; we will send a link to choose a new password.
forgot-send = Send the link
forgot-sent = If an account exists for that address, a link to reset the password is on its way. It is valid for two hours.
reset-title = Choose a new password
reset-save = Save the new password
reset-done = Your password has been changed. Sign in with the new one.
password-mismatch = The two passwords are not the same.
password-too-short = The password needs at least { $min } characters.
account-title = Your account
account-roles = Roles
account-no-roles = No roles yet.
scope-global = whole site
invitation-title = Accept your invitation
invitation-lede = You have been invited as
invitation-accept = Create my account
invitation-name-required = Please enter your name.

field-email = Email
field-password = Password
field-new-password = New password (at least 10 characters)
field-password-again = The same password again
field-display-name = Your name, as you write it
field-name = Name
field-name-hint = as the person writes it, in any script
field-reading = Reading
field-reading-hint = in kana, for gojūon order (e.g. ふじい けんた)
field-romanized = Romanisation
field-group = Stakeholder group
field-region = UN regional group
field-country = Country
field-country-hint = two-letter code, e.g. JP
field-gender = Gender
field-gender-hint = optional, as the person describes it
field-youth = Youth
field-organisation = Organisation
field-title = Title or position

gojuon-note = In gojūon order by reading (五十音順), without honorifics.
people-filter = Find by name, reading or romanisation
people-filter-button = Filter
people-none = Nobody matches.
pager-label = Pages
pager-previous = Previous
pager-next = Next
person-new = Add a person
person-edit = Edit
person-merged = This entry was a duplicate and has been merged.
person-merged-link = Go to the kept entry
affiliations = Affiliations
affiliation-present = present
affiliation-current = current
affiliation-period = Period
affiliation-add = Add an affiliation
affiliation-since = Since
affiliation-until = Until
affiliation-until-hint = leave empty while current
merge-title = Merge a duplicate
merge-lede = If this person was entered twice, merge this entry into the one to keep. Affiliations, proposals and committee seats move over; this entry stays as a pointer.
merge-into = Keep this entry
merge-button = Merge into the chosen entry
organisation-new = Add an organisation
conflict-person = Someone else saved this person while you were editing. Their version is shown beside yours; your text is still in the form. Check both, then save again.
conflict-theirs = Saved meanwhile (left) and yours (right)
conflict-hint = Saving now replaces the version on the left with the form below.

edition-manage = Secretariat
edition-public-page = Public page of the edition
edition-timezone = Time zone
edition-days = Days
edition-day = Day
edition-date = Date
edition-hours = Hours
edition-rooms = Rooms
edition-room = Room
edition-capacity = Seats
edition-features = Equipment
edition-tracks = Tracks
edition-themes = Themes
manage-proposals = Proposals
manage-chart-caption = Proposals per session type
manage-type = Session type
manage-other = Other
manage-total = Total
status-draft = Draft
status-submitted = Submitted
status-withdrawn = Withdrawn
status-accepted = Accepted
status-rejected = Rejected

committee-meetings = Meetings
committee-meeting = Meeting
committee-venue = Venue
committee-members = Members
meeting-numbered = { $series } no. { $number }

audit-title = Audit log
audit-lede = Every change to stored data: who, when, and the record before and after.
audit-entity = Kind of record
audit-when = When
audit-who = Who
audit-what = What
audit-before = Before
audit-after = After
outbox-title = Outbox
outbox-lede = Every email kaigi sends is kept here first, whether or not an SMTP server is configured.
outbox-to = To
outbox-sent = Sent
outbox-failed = Failed
outbox-queued = Waiting
outbox-unsent = waiting to be sent
outbox-empty = No messages.
outbox-smtp-on = Delivered through the configured SMTP server.
outbox-smtp-off = No SMTP server configured: messages stay here to be read or forwarded.
users-title = Accounts
invite-title = Invite someone
invite-role = Role
invite-scope = For
invite-language = Language of the invitation
invite-send = Send the invitation
invite-scope-mismatch = That role does not fit that scope: administrators are site-wide, committee members belong to a committee, the other roles to an edition.

mail-invite-subject = Your invitation to kaigi
mail-invite-body = You have been invited to kaigi as { $role }.

    Create your account with this link (valid for 14 days):
    { $link }
mail-reset-subject = Reset your kaigi password
mail-reset-body = Hello { $name },

    someone asked to reset the password of your kaigi account. If it was you, choose a new password here (valid for two hours):
    { $link }

    If it was not you, ignore this message; your password stays as it is.

group-government = Government
group-intergovernmental = Intergovernmental organisation
group-private-sector = Private sector
group-civil-society = Civil society
group-technical-community = Technical community
group-academia = Academia
region-african = African Group
region-asia-pacific = Asia-Pacific Group
region-eastern-european = Eastern European Group
region-latin-american-caribbean = Latin American and Caribbean Group
region-western-european-others = Western European and Others Group
role-admin = Administrator
role-secretariat = Secretariat
role-evaluator = Evaluator
role-organiser = Session organiser
role-committee-member = Committee member
role-participant = Participant
session-type-workshop = Workshop
session-type-open-forum = Open forum
session-type-dynamic-coalition = Dynamic coalition session
session-type-nri-session = NRI session
session-type-day-zero = Day 0 event
session-type-lightning-talk = Lightning talk
session-type-launch-award = Launch / award
session-type-town-hall = Town hall
session-type-main = Main session
venue-onsite = Onsite
venue-online = Online
venue-hybrid = Hybrid
feature-hybrid = hybrid equipment
feature-interpretation = interpretation
