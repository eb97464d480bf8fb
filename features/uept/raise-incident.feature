@uept @UEPT-FSM-02 @SM-01
Feature: Raise an incident and see it listed
  A User raises an incident in the platform with the required information and follows it in the
  list of their party's incidents. Priority comes from impact and urgency, as in ServiceNow.

  Background:
    Given DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time

  Scenario: A raised incident is numbered, prioritised and listed
    When the administrator of "Supplier A" raises an incident "Service Request responses not received from the DSP" with impact 2 and urgency 1
    Then the incident gets a number like INC0010001, in state New
    And the incident has priority 2
    And it heads their list of active incidents of priority 2 or higher, which counts 1 incident

  Scenario Outline: Priority follows impact and urgency
    When the administrator of "Supplier A" raises an incident "Alerts missing for devices in the North region" with impact <impact> and urgency <urgency>
    Then the incident has priority <priority>

    Examples:
      | impact | urgency | priority |
      | 1      | 1       | 1        |
      | 1      | 3       | 3        |
      | 3      | 2       | 4        |
      | 3      | 3       | 5        |
