@uit @IAM-05
Feature: The platform over the internet
  Parties without a DCC Gateway connection may register for access over the internet, from address
  ranges DCC has allowlisted. A party connected to the Gateway is sent to the Gateway.

  Scenario: A registered party signs in from its allowlisted addresses only
    Given DCC has onboarded the party "Supplier A" registered for internet access from 203.0.113.0/28
    And the administrator of "Supplier A" has signed in for the first time
    When the administrator of "Supplier A" signs in over the internet from 203.0.113.5
    Then they are signed in to "Supplier A" with the roles ORG_ADMIN and SERVICE_USER
    When the administrator of "Supplier A" signs in over the internet from 198.51.100.20
    Then they are told "not on your organisation's allowlist"

  Scenario: A party connected to the DCC Gateway is sent to the Gateway
    Given DCC has onboarded the party "Network Operator B" connected to the DCC Gateway
    And the administrator of "Network Operator B" has signed in for the first time
    When the administrator of "Network Operator B" signs in over the internet from 203.0.113.5
    Then they are told "through the Gateway"
