@uit @OMS-10
Feature: Transferring Communications Hubs to another party
  A party transfers hubs to another by a service request; the hubs move only when the receiving
  party accepts them.

  Scenario: The receiving party accepts a transfer
    Given DCC has onboarded the party "Supplier A"
    And DCC has onboarded the party "Supplier B"
    And the administrator of "Supplier A" has signed in for the first time
    And the administrator of "Supplier B" has signed in for the first time
    And the administrator of "Supplier A" gives themselves the roles ORG_ADMIN and OMS_RETURNS in the South Region
    And the administrator of "Supplier B" gives themselves the roles ORG_ADMIN and OMS_RETURNS in the South Region
    And "Supplier A" has 2 4G-SB hubs installed
    When the administrator of "Supplier A" transfers its installed hubs to "Supplier B"
    Then the administrator of "Supplier B" sees a transfer of 2 hubs waiting
    When the administrator of "Supplier B" accepts the transfer
    Then 2 4G-SB hubs are in the stock of "Supplier B"
