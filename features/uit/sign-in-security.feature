@uit @IAM-07
Feature: Sign-in resists guessing and replay
  Five failed attempts (wrong password or wrong code) lock an account for fifteen minutes, with the
  same answer as for an unknown user; each authenticator code is accepted once. (Numbers assumed.)

  Background:
    Given DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time

  Scenario: Five wrong codes lock the account until fifteen minutes have passed
    When the administrator of "Supplier A" enters a wrong code 5 times while signing in
    Then they are told only that they are not authenticated
    And the right password does not let the administrator of "Supplier A" in while locked
    When 15 minutes pass on the platform
    Then the administrator of "Supplier A" can sign in again with their password and a code

  Scenario: A code from the authenticator app is accepted only once
    Given time stands still on the platform
    When the administrator of "Supplier A" signs in with the code they used last time
    Then they are told "That code has already been used"
