"""The events' site views: registering and cancelling (``actions``), the organiser's page
(``organiser``), the calendars and feeds (``calendars``), "I miei eventi" (``member``)."""
