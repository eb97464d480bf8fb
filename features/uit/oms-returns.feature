@uit @OMS-07 @OMS-08 @OMS-09
Feature: Returning Communications Hubs to triage and charge
  Any SMETS2+ hub can be returned in life with a fault or no-fault reason. DCC issues an RMA, the
  carrier collects it, DCC triages it, and the DP238 charge follows from the triage.

  Background:
    Given it is 2026-12-01 on the platform
    And DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time
    And the administrator of "Supplier A" gives themselves the roles ORG_ADMIN, OMS_ORDERING and OMS_RETURNS in the North Region
    And "Supplier A" has 2 4G-DB hubs installed

  Scenario: A faulty hub is not redeployable and is charged by band
    When the administrator of "Supplier A" returns an installed hub because "hardware_fault"
    And it is 2026-12-07 on the platform
    Then the return is triaged "not_redeployable" with a charge of £58.75

  Scenario: A hub returned without fault is redeployable
    When the administrator of "Supplier A" returns an installed hub because "removed_no_fault"
    And it is 2026-12-07 on the platform
    Then the return is triaged "redeployable" with a charge of £8.27

  Scenario: A hub is returned only once
    When the administrator of "Supplier A" returns an installed hub because "no_power"
    Then returning the same hub again is refused because "already being returned"
