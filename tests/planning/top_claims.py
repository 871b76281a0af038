"""The three claims a senior interviewer would probe first on shared CVs, labelled by hand (CV text stays outside).

How they were chosen: each CV was read in full and, ignoring how any planner ranks it, the three items picked that a
senior interviewer would open with: the most senior and most recent roles first; work the candidate led, designed or
owned over work they assisted with; claims with scale or measured impact (users, money, latency, volume, regulation);
each from a different project where the CV allows. Education, coursework and student projects only when nothing
else exists. A claim is named by a short distinctive substring of the sentence that states it; where the work spans
one bullet of several sentences, any of those sentences names it (a question quoting any of them asks about it).
CVs with no project claims at all (blank templates, a contact-only DOCX) are left out: there is nothing to rank.
"""

from __future__ import annotations

TOP_CLAIMS: dict[str, tuple[tuple[str, ...], ...]] = {
    # Senior SRE: infrastructure for a payments licence, DC/OS to EKS migration, Elasticsearch at 1 billion docs/month.
    "awesomecv_resume.pdf": (
        ("entire infrastructure on the AWS cloud",),
        ("from DC/OS to Kubernetes", "Managed 3 Kubernetes clusters"),
        ("1 billion documents per", "observability system with Kafka, Elastic Stack"),
    ),
    # Current role: leads 5 engineers on a search bar for thousands of users; sign-up rate; re-architected editor.
    "openresume_openresume.pdf": (
        ("cross-functional team of 5 engineers",),
        ("sign up rate by 20%",),
        ("Re-architected the existing content editor",),
    ),
    # Stripe fraud pipeline at 50K+ tps, Figma real-time sync for 4M+ DAU, Notion latency cut by 60%.
    **{
        name: (
            ("fraud detection pipeline processing 50K+",),
            ("real-time sync for 4M+ daily active users",),
            ("Reduced API response latency by 60%",),
        )
        for name in (
            "resumematcher_template_modern-single-column.pdf",
            "resumematcher_template_modern-two-column.pdf",
            "resumematcher_template_single-column.pdf",
            "resumematcher_template_two-column.pdf",
        )
    },
    # Leads AI engineers at OpenAI (current), designed NLP deep-learning models there, Uber ride-allocation models.
    "resumematcher_harvey_dent_mle.pdf": (
        ("leading a team of AI engineers",),
        ("deep learning models for natural language processing",),
        ("ride allocation algorithms",),
    ),
    # Product lead at Google (current), led e-commerce developers, designed components for Apple services.
    "resumematcher_alfred_pennyworth_pm.pdf": (
        ("Leading cross-functional teams",),
        ("Led a team of developers in building scalable",),
        ("software components for various Apple services",),
    ),
    # Led junior developers at Uber, RESTful services at OpenAI (current), scalable MERN web applications at Uber.
    "resumematcher_bruce_wayne_fullstack.pdf": (
        ("Led a team of junior developers",),
        ("Implementing RESTful services for communication",),
        ("scalable web applications using MERN stack",),
    ),
    # Coursera: designed the crowdsourcing platform, owned the Redshift warehouse; Google TPU APIs (current).
    "sb2nov_sourabh_bajaj_resume.pdf": (
        ("internal survey and crowdsourcing platform",),
        ("schema design and management of Amazon Redshift",),
        ("Tensor Processing Units",),
    ),
    # Led and shipped Yoda (latest role), YouTube captions full stack in production, led a 4-university team.
    "deedy_resume_macfonts.pdf": (
        ("Led and shipped Yoda",),
        ("YouTube Captions team",),
        ("Led a team from MIT, Cornell",),
    ),
    # Current role: invented a realtime classroom system and leads its development; an assessment framework before.
    "latexcv_modern.pdf": (
        ("realtime classroom management using Meteor",),
        ("Design software architecture and leading development",),
        ("flexible assessment framework",),
    ),
}


def covered(quotes: list[str], labels: tuple[tuple[str, ...], ...]) -> list[bool]:
    """For each labelled claim, whether some quote names it (case and spacing ignored)."""

    def norm(text: str) -> str:
        return " ".join(text.lower().split())

    said = [norm(q) for q in quotes]
    return [any(norm(alt) in q for alt in claim for q in said) for claim in labels]
