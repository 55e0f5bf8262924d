"""What readers see: labels in English and Chinese (`labels`), number formats (`numbers`),
the report's words and sentences (`words`), table exports (`export`), data summaries
(`summary`), charts (`charts`, `fonts`) and the HTML report (`report`)."""
