@uit
Feature: Ordering Communications Hubs, from forecast to accepted delivery
  Orders outside the tolerance of the latest forecast wait for DCC. A confirmed order becomes a
  consignment the carrier delivers; its date can change until a cut-off, and the delivery is
  accepted or rejected within a window of working days. 2G/3G and LRR hubs are not ordered here.

  Background:
    Given it is 2026-12-01 on the platform
    And DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time
    And the administrator of "Supplier A" gives themselves the roles ORG_ADMIN, OMS_ORDERING and OMS_RETURNS in the North Region
    And the administrator of "Supplier A" forecasts 1000 4G-SB hubs a month in the North Region for 2027-04 to 2027-06

  @OMS-03
  Scenario: An order outside tolerance is a tolerance exception until DCC approves it
    When the administrator of "Supplier A" orders 1500 4G-SB hubs in the North Region for 2027-05 to "Leeds depot"
    Then the order is a tolerance exception
    And the administrator of "Supplier A" cannot confirm the order yet
    When DCC approves the tolerance exception
    Then the order is submitted

  @OMS-03
  Scenario: DCC rejects a tolerance exception
    When the administrator of "Supplier A" orders 2000 4G-SB hubs in the North Region for 2027-05 to "Leeds depot"
    And DCC rejects the tolerance exception because "Far above the forecast"
    Then the order is rejected

  @OMS-11
  Scenario: 2G/3G hubs are ordered on the legacy system
    When the administrator of "Supplier A" tries to order 100 2G3G-SB hubs in the North Region for 2027-05 to "Leeds depot"
    Then they are told "legacy ordering system"

  @OMS-04 @OMS-05 @OMS-06
  Scenario: Amend, track and accept a delivery over several weeks
    Given the administrator of "Supplier A" has ordered and confirmed 1000 4G-SB hubs in the North Region for 2027-05 to "Leeds depot"
    When it is 2027-04-20 on the platform
    And the administrator of "Supplier A" moves the delivery to 2027-05-12
    When it is 2027-05-06 on the platform
    Then the administrator of "Supplier A" can no longer move the delivery
    When it is 2027-05-12 on the platform
    Then the carrier reports the consignment picked, dispatched, in transit and delivered
    When the administrator of "Supplier A" rejects 10 hubs of the delivery as "damaged"
    Then 990 4G-SB hubs are in the stock of "Supplier A"

  @OMS-06
  Scenario: The acceptance window closes
    Given the administrator of "Supplier A" has ordered and confirmed 1000 4G-SB hubs in the North Region for 2027-06 to "Leeds depot"
    When it is 2027-06-07 on the platform
    Then the administrator of "Supplier A" can no longer accept the delivery

  @ACC-05
  Scenario: Four OMS accounts per Region come without charge
    When the administrator of "Supplier A" creates 3 more OMS accounts in the North Region
    Then a fifth OMS account in the North Region is refused
