"""Claims across articles: clusters joined by SAME_AS, similar-claim
candidates and contradiction hints (issue 13). Qt-free."""
