"""The applicant's pages, by topic.

journey: list, start, task list, check answers, submit, withdraw, document download.
sections: one page per task-list section, and uploading or deleting documents.
places: accepting or declining an offer, leaving a waiting list.
public: "Am I eligible?", which needs no account.
"""
