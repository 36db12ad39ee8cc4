"""Leadership evaluations (360): rounds for HR, answering by link, reports after release."""
