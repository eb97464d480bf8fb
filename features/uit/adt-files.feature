@uit @SM-04 @SM-05
Feature: Submitting Anomaly Detection Thresholds
  A User submits ADT thresholds as a CSV file attached to a service request, signed with the
  party's file-signing key. The workflow checks the signature and every row; a valid file goes to
  DCC whole, an invalid one changes nothing and says why, row by row.

  Background:
    Given DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time
    And the administrator of "Supplier A" gives themselves the roles ORG_ADMIN, SERVICE_USER and FILE_SUBMITTER

  Scenario: A signed ADT file for the party's User IDs is accepted
    When the administrator of "Supplier A" submits a signed ADT file for the party's User IDs
    Then the request is accepted and passed to DCC

  Scenario: A file signed with another key is rejected
    When the administrator of "Supplier A" submits an ADT file signed with another key
    Then the request is rejected because "does not match"

  Scenario: A row with another party's User ID is rejected, with its row number
    When the administrator of "Supplier A" submits a signed ADT file whose row 3 names another party's User ID
    Then the request is rejected, row 3 because "is not one of your party's User IDs"
