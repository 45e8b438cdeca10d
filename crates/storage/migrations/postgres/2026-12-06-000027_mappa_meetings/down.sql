DROP TABLE mappa_meetings;
