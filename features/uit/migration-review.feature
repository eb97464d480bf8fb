@uit @ACC-04
Feature: Reviewing accounts migrated from DSMS
  Accounts migrated from DSMS arrive inactive. The party's administrator reinstates them with Job
  Type Roles, or leaves them inactive. A later snapshot from DSMS updates names and addresses but
  never undoes the administrator's decisions. Historic tickets stay with the person who raised them.

  Background:
    Given DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time
    And DCC has migrated the accounts of "Ann" and "Bob" of "Supplier A" from DSMS, with a historic ticket raised by "Ann"

  Scenario: Reinstate one account, decline another, and keep the decisions through a later snapshot
    Then the administrator of "Supplier A" sees "Ann" and "Bob" waiting for review, inactive
    And the historic ticket is closed and attributed to "Ann"
    When the administrator of "Supplier A" reinstates "Ann" with the roles SERVICE_USER
    And the administrator of "Supplier A" declines "Bob"
    Then "Ann" signs in for the first time with the one-time password sent by email
    When DCC sends a later DSMS snapshot of "Supplier A" that renames "Bob" to "Robert"
    Then the administrator of "Supplier A" sees "Robert" still declined and inactive
