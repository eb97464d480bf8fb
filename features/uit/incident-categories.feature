@uit @SM-03
Feature: Incident Categories and their Target Resolution Times
  An incident's Incident Category, 1 to 5, is its priority, which impact and urgency decide. Each
  category has a Target Resolution Time, counted from when the incident was raised (S3 §9.2). DCC
  has not published the times: the hours below are the assumed defaults of the simulator's
  configuration (incidents.targetResolutionHours). Each example is checked against the
  configuration the simulator runs with, and against the platform's own clock: the time an
  incident is due, less the time it was raised.

  Background:
    Given DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time
    And time stands still on the platform

  Scenario Outline: Impact <impact> and urgency <urgency> make Category <category>, due <hours> hours after it was raised
    When the administrator of "Supplier A" raises an incident "Install and Commission failures for one DNO" with impact <impact> and urgency <urgency>
    Then the incident has priority <category>
    And it was raised at the time the platform's clock shows
    And its Target Resolution Time is <hours> hours after it was raised

    Examples:
      | impact | urgency | category | hours |
      | 1      | 1       | 1        | 4     |
      | 1      | 2       | 2        | 8     |
      | 2      | 1       | 2        | 8     |
      | 1      | 3       | 3        | 24    |
      | 2      | 2       | 3        | 24    |
      | 3      | 1       | 3        | 24    |
      | 2      | 3       | 4        | 72    |
      | 3      | 2       | 4        | 72    |
      | 3      | 3       | 5        | 120   |

  Scenario: A new category moves the Target Resolution Time, still counted from when the incident was raised
    Given the administrator of "Supplier A" has raised an incident "Firmware update stuck at pending"
    And the incident has priority 5
    When 20 minutes pass on the platform
    And the administrator of "Supplier A" changes the urgency of their incident to 1
    Then the incident has priority 3
    And its Target Resolution Time is 24 hours after it was raised
