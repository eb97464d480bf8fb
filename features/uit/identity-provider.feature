@uit @IAM-03 @IAM-06 @IAM-01
Feature: Signing in through the DCC Identity Provider Service
  Users on the Entra path sign in through DCC's identity provider, in its production or its
  non-production tenant, with MFA; the platform accepts the access token it issues.

  Scenario Outline: First sign-in through the <tenant> tenant, then the platform's API
    Given DCC has onboarded the party "Supplier E" whose administrator signs in through DCC Identity
    When the administrator of "Supplier E" signs in through the <tenant> tenant of DCC Identity for the first time
    Then the sign-in asked, in order, for: a new password, a second method, a code from the new app
    And their ID token comes from the <tenant> tenant and says they used MFA by authenticator app
    And they are signed in to "Supplier E" with the roles ORG_ADMIN and SERVICE_USER

    Examples:
      | tenant         |
      | production     |
      | non-production |

  Scenario: A User on the DCC Identity path cannot use the platform's own login
    Given DCC has onboarded the party "Supplier E" whose administrator signs in through DCC Identity
    When the administrator of "Supplier E" tries the platform's own login
    Then they are told "DCC Identity Provider Service"
