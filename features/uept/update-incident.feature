@uept @UEPT-FSM-03 @SM-02
Feature: Update an incident and follow it to closure
  A User adds comments and files to their incident, answers DCC's requests for information, and
  confirms or rejects DCC's resolution. A resolution nobody answers closes itself after 7 days.

  Background:
    Given DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time
    And the administrator of "Supplier A" has raised an incident "Service Request responses not received from the DSP"

  Scenario: Add a comment and an attachment
    When the administrator of "Supplier A" comments "Seen on 40 meters since 09:00" on their incident
    And the administrator of "Supplier A" attaches the file "dsp-responses.csv" to their incident
    Then their incident shows the comment "Seen on 40 meters since 09:00"
    And their incident has the attachment "dsp-responses.csv"

  Scenario: Answer DCC's request for information
    Given DCC's service desk has put the incident of "Supplier A" on hold, asking "Which meters are affected?"
    Then the administrator of "Supplier A" has a notification that their incident is On Hold
    When the administrator of "Supplier A" comments "The North region ones" on their incident
    Then their incident is In Progress

  Scenario: Confirm DCC's resolution
    Given DCC's service desk has resolved the incident of "Supplier A" with "DSP queue restarted"
    When the administrator of "Supplier A" confirms the resolution of their incident
    Then their incident is Closed

  Scenario: Reject DCC's resolution, saying why
    Given DCC's service desk has resolved the incident of "Supplier A" with "DSP queue restarted"
    When the administrator of "Supplier A" rejects the resolution of their incident because "Responses are still missing"
    Then their incident is In Progress
    And their incident shows the comment "Responses are still missing"

  Scenario: A resolution nobody answers closes itself after 7 days
    Given DCC's service desk has resolved the incident of "Supplier A" with "DSP queue restarted"
    When 7 days pass on the platform
    And the administrator of "Supplier A" signs in again
    Then their incident is Closed
