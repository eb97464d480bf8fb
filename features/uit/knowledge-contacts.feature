@uit @SM-08
Feature: Knowledge and nominated contacts
  Knowledge articles and each party's Nominated Contacts are kept in the platform.

  Background:
    Given DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time

  Scenario: Search the knowledge base
    When the administrator of "Supplier A" searches the knowledge base for "quarantine"
    Then they find only the article "Answering a quarantine incident with a Quarantine Command Action"

  Scenario: Change a nominated contact through a request that DCC fulfils
    When the administrator of "Supplier A" asks DCC to make "Sam Secure" their Security contact
    And DCC's service desk fulfils that request
    Then the Security contact of "Supplier A" is "Sam Secure"
