@uit @SM-07
Feature: Notifications in the SSI
  Every event a User must know of is recorded in the SSI, which counts as notified. An email copy
  goes to the User too, unless they turned email copies off.

  Background:
    Given DCC has onboarded the party "Supplier A"
    And the administrator of "Supplier A" has signed in for the first time
    And the administrator of "Supplier A" has raised an incident "Alerts missing for devices in the North region"

  Scenario: DCC's comment reaches the SSI and the email inbox
    When DCC's service desk comments "We are looking at it" on the incident of "Supplier A"
    Then the administrator of "Supplier A" has a notification "DCC commented on" in the SSI
    And the administrator of "Supplier A" has an email "DCC commented on"

  Scenario: A notification read stays in the SSI, no longer unread
    When DCC's service desk comments "We are looking at it" on the incident of "Supplier A"
    And the administrator of "Supplier A" marks the notification "DCC commented on" as read
    Then the administrator of "Supplier A" has no unread notification "DCC commented on"
    And the administrator of "Supplier A" has a notification "DCC commented on" in the SSI

  Scenario: With email copies off, the SSI still notifies
    Given the administrator of "Supplier A" has turned email copies off
    When DCC's service desk comments "We are looking at it" on the incident of "Supplier A"
    Then the administrator of "Supplier A" has a notification "DCC commented on" in the SSI
    And the administrator of "Supplier A" has no email "DCC commented on"
