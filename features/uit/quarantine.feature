@uit @SM-06
Feature: Answering a quarantine
  DCC raises an incident assigned to the User when it quarantines their communications; the User
  answers with a signed Quarantine Command Action file through a service request. Releasing
  quarantined messages is behind a feature flag that is off.

  Background:
    Given DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time
    And the administrator of "Supplier A" gives themselves the roles ORG_ADMIN, SERVICE_USER and FILE_SUBMITTER
    And DCC has raised a quarantine incident for "Supplier A"

  Scenario: Delete the quarantined messages
    Then the administrator of "Supplier A" has a notification that their incident is On Hold
    When the administrator of "Supplier A" answers the quarantine with a signed Quarantine Command Action to delete the messages
    Then the request is accepted and passed to DCC
    And their incident is In Progress

  Scenario: Releasing quarantined messages is not available
    When the administrator of "Supplier A" answers the quarantine with a signed Quarantine Command Action to release the messages
    Then the request is rejected, row 2 because "release is not available"
