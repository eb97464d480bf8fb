@uept @UEPT-FSM-04 @IAM-02
Feature: A User manages their own credentials
  A User can change their second factor after proving the current one, and can reset a forgotten
  password with a code sent to the email address on their account.

  Background:
    Given DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time

  Scenario: Change the second method from an authenticator app to codes by email
    When the administrator of "Supplier A" changes their second method to codes by email
    Then the change asked, in order, for: a code, a second method, a code from the email
    When the administrator of "Supplier A" signs in again
    Then they are signed in with MFA by email

  Scenario: Reset a forgotten password with a code sent by email
    When the administrator of "Supplier A" resets a forgotten password with a code sent by email
    Then the administrator of "Supplier A" can no longer sign in with their former password
    And the administrator of "Supplier A" can sign in again with the new password and a code
