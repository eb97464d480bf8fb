@uit @IAM-04
Feature: Codes by email
  A User who confirms sign-ins with a code by email gets one code for each sign-in, sent to the
  corporate address recorded when their credentials were created, and to nobody else. A code works
  only for the sign-in it was sent for, and asking for a new one makes the earlier one worthless.
  Codes by text message (SMS) exist only behind a feature flag, which is off by default.

  Background:
    Given DCC has onboarded the party "Supplier A"

  Scenario: One sign-in sends one code, to the address on the account and nowhere else
    Given the administrator of "Supplier A" signs in for the first time with codes by email
    And the administrator of "Supplier A" has read all their email so far
    When the administrator of "Supplier A" signs in again
    Then they are signed in with MFA by email
    And the administrator of "Supplier A" has 1 new email with a code, at the address DCC recorded when onboarding them
    And the newest holds the code they signed in with
    And the platform sent no other email

  Scenario: A code from an earlier sign-in is refused on a later one
    Given the administrator of "Supplier A" signs in for the first time with codes by email
    And the administrator of "Supplier A" signs in again
    When the administrator of "Supplier A" signs in with the code they used last time
    Then they are told "That code is not right, or it has expired"

  Scenario: Asking for a new code makes the earlier one worthless
    Given the administrator of "Supplier A" signs in for the first time with codes by email
    And the administrator of "Supplier A" has read all their email so far
    When the administrator of "Supplier A" asks for a new code while signing in, then enters the first code
    Then they are told "That code is not right, or it has expired"
    And the administrator of "Supplier A" has 2 new emails with a code, at the address DCC recorded when onboarding them
    And the platform sent no other email

  Scenario: The new code asked for lets the User in
    Given the administrator of "Supplier A" signs in for the first time with codes by email
    And the administrator of "Supplier A" has read all their email so far
    When the administrator of "Supplier A" asks for a new code while signing in, then enters the new code
    Then the sign-in asked, in order, for: a code, a code
    And they are signed in with MFA by email
    And the administrator of "Supplier A" has 2 new emails with a code, at the address DCC recorded when onboarding them
    And the newest holds the code they signed in with

  Scenario: Codes by text message are not offered while their feature flag is off
    Given codes by text message are switched off on the platform, as they are by default
    When the administrator of "Supplier A" signs in for the first time with codes by email
    Then the only second methods they were offered were an authenticator app and codes by email
