"""The hosts' results.json formats as JSON Schemas, written from their documentation.

Gradescope: "Autograder Specifications", Output format (gradescope/autograder_samples, docs/specs.md).
PrairieLearn: "External Grading", Grading results (PrairieLearn/PrairieLearn, docs/externalGrading.md).
"""
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}

GRADESCOPE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number", "minimum": 0},
        "output": {"type": "string"},
        "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "score": {"type": "number"},
                    "max_score": {"type": "number"},
                    "status": {"enum": ["passed", "failed"]},
                    "name": {"type": "string"},
                    "number": {"type": "string"},
                    "output": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "visibility": VISIBILITY,
                    "extra_data": {"type": "object"},
                },
                "additionalProperties": False,
            },
        },
        "leaderboard": {"type": "array"},
    },
    # "score: optional, but required if not on each test case"
    "anyOf": [{"required": ["score"]},
              {"required": ["tests"], "properties": {"tests": {"items": {"required": ["score"]}}}}],
    "additionalProperties": False,
}

PL_IMAGE = {"anyOf": [{"type": "string"},
                      {"type": "object", "required": ["url"],
                       "properties": {"url": {"type": "string"}, "label": {"type": "string"}}}]}

PRAIRIELEARN = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "gradable": {"type": "boolean"},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "message": {"type": "string"},
        "output": {"type": "string"},
        "format_errors": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "images": {"type": "array", "items": PL_IMAGE},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "points", "max_points"],
                "properties": {
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "points": {"type": "number"},
                    "max_points": {"type": "number"},
                    "message": {"type": "string"},
                    "output": {"type": "string"},
                    "images": {"type": "array", "items": PL_IMAGE},
                },
            },
        },
    },
    # "If the submission is gradable, the result only has one mandatory field: score"
    "if": {"properties": {"gradable": {"const": False}}, "required": ["gradable"]},
    "then": {},
    "else": {"required": ["score"]},
}

PL_INFO = {
    "type": "object",
    "required": ["uuid", "title", "topic", "type", "gradingMethod", "externalGradingOptions"],
    "properties": {
        "type": {"const": "v3"},
        "gradingMethod": {"const": "External"},
        "externalGradingOptions": {
            "type": "object",
            "required": ["enabled", "image", "entrypoint"],
            "properties": {
                "enabled": {"type": "boolean"},
                "image": {"type": "string", "minLength": 1},
                "entrypoint": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                "serverFilesCourse": {"type": "array", "items": {"type": "string"}},
                "timeout": {"type": "integer", "minimum": 1, "maximum": 600},
                "enableNetworking": {"type": "boolean"},
                "environment": {"type": "object"},
            },
            "additionalProperties": False,
        },
    },
}
