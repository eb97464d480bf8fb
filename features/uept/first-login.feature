@uept @ACC-01
Feature: A new party's administrator gets into the platform
  DCC onboards each SEC Party with one administrator and hands them a one-time password. That is the
  only account DCC creates for the party; the administrator chooses their own password at first login.

  Scenario: The administrator signs in with the one-time password and chooses their own
    Given DCC has onboarded the party "Supplier A"
    When the administrator of "Supplier A" signs in for the first time
    Then they were asked to choose their own password before anything else
    And they are signed in to "Supplier A" with the roles ORG_ADMIN and SERVICE_USER
    And the administrator of "Supplier A" can no longer sign in with their former password
