"""Feeds newsroom subscribes to: fetched politely (`fetch`, its connections checked by `guard`), polled by workers
on the task queue when due (`polling`), their schedule and backoff (`schedule`), and the durations editors type
(`durations`). Their items go through the one import pipeline, `articles.ingest`.

(The RSS and Atom feeds newsroom publishes are `articles.syndication`.)
"""
