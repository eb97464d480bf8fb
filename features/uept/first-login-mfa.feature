@uept @UEPT-FSM-01 @IAM-01 @IAM-02
Feature: First login with MFA, then a second login
  Every login to the platform asks for a second factor. At first login the User chooses it: an
  authenticator app (a time-based code, RFC 6238) or a code sent to the email address on the account.

  Background:
    Given DCC has onboarded the party "Supplier A"

  Scenario: First login setting up an authenticator app, then a second login with a code from it
    When the administrator of "Supplier A" signs in for the first time with an authenticator app
    Then the sign-in asked, in order, for: a new password, a second method, a code from the new app
    And they are signed in with MFA by authenticator app
    When the administrator of "Supplier A" signs in again
    Then the sign-in asked, in order, for: a code
    And they are signed in with MFA by authenticator app

  Scenario: First login setting up codes by email, then a second login with an emailed code
    When the administrator of "Supplier A" signs in for the first time with codes by email
    Then the sign-in asked, in order, for: a new password, a second method, a code from the email
    And they are signed in with MFA by email
    When the administrator of "Supplier A" signs in again
    Then the sign-in asked, in order, for: a code
    And they are signed in with MFA by email
