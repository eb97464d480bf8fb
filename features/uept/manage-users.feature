@uept @UEPT-FSM-04 @ACC-02 @ACC-03
Feature: An administrator manages the accounts of their organisation
  Administrators create, amend, deactivate and reinstate the accounts of their own organisation,
  with Job Type Roles that grant Functional Components; DCC does not validate these changes.

  Background:
    Given DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time

  Scenario: Create a user, change their roles, and deactivate the account
    When the administrator of "Supplier A" creates the user "Sam" with the roles SERVICE_USER
    Then "Sam" signs in for the first time with the one-time password sent by email
    And "Sam" can raise an incident
    When the administrator of "Supplier A" gives "Sam" the roles SERVICE_READONLY
    Then "Sam" can no longer raise an incident
    When the administrator of "Supplier A" deactivates "Sam"
    Then "Sam" can no longer sign in

  Scenario: The last active administrator cannot be removed
    When the administrator of "Supplier A" tries to deactivate their own account
    Then they are told "last active administrator"

  Scenario: Another party's administrator cannot change the accounts
    Given DCC has onboarded the party "Network Operator B"
    And the administrator of "Network Operator B" has signed in for the first time
    When the administrator of "Network Operator B" tries to deactivate the administrator of "Supplier A"
    Then they are told there is no such record
