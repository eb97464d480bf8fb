@uept @SM-01 @ACC-02
Feature: Each party sees and changes only its own records
  Every incident and every account belongs to one party. Users of another party cannot see it,
  cannot change it, and are not even told that it exists.

  Background:
    Given DCC has onboarded the party "Supplier A"
    And DCC has onboarded the party "Network Operator B"
    And the administrator of "Supplier A" has signed in for the first time
    And the administrator of "Network Operator B" has signed in for the first time

  Scenario: Another party's incident is out of sight and out of reach
    Given the administrator of "Network Operator B" has raised an incident "Communications Hub not joining the SMWAN"
    When the administrator of "Supplier A" opens the incident of "Network Operator B"
    Then they are told there is no such record
    And the incident of "Network Operator B" is not in the list of the administrator of "Supplier A"
    When the administrator of "Supplier A" tries to raise the urgency of the incident of "Network Operator B"
    Then they are told there is no such record
    And the incident of "Network Operator B" is unchanged

  Scenario: Another party's users are out of sight
    When the administrator of "Supplier A" lists the users they can see
    Then they see only the users of "Supplier A"
