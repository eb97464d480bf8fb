@uept @UEPT-FSM-05 @OMS-01 @OMS-02
Feature: Basic OMS: stock, forecast, order; or a return
  A User who orders Communications Hubs views their stock, submits a forecast, and places and
  confirms an order. A party that only returns hubs raises a return instead.

  Background:
    Given it is 2026-12-01 on the platform
    And DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time
    And the administrator of "Supplier A" gives themselves the roles ORG_ADMIN, OMS_ORDERING and OMS_RETURNS in the North Region

  Scenario: View stock, forecast, then place and confirm an order
    Then the administrator of "Supplier A" sees no Communications Hubs in stock
    When the administrator of "Supplier A" forecasts 1000 4G-SB hubs a month in the North Region for 2027-04 to 2027-06
    And the administrator of "Supplier A" orders 1000 4G-SB hubs in the North Region for 2027-04 to "Leeds depot"
    Then the order is submitted
    When the administrator of "Supplier A" confirms the order
    Then a consignment of 1000 hubs is planned for 2027-04-01 with an Advance Shipment Notice of 1000 devices

  @OMS-07 @OMS-08
  Scenario: A returns-only party raises a return
    Given "Supplier A" has 2 4G-DB hubs installed
    When the administrator of "Supplier A" returns an installed hub because "no_wan_connection"
    Then a Return Material Authorisation number is issued
