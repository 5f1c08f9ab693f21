"""Problem generation from one equation: the stages of ``wmbench build`` inside a paper.

``latex_tree`` (equation → whole sub-expressions with exact spans) → ``masking`` (fill-in
blanks at 25/50/75/100%) and ``distractors`` (MCQ options proved wrong by the verifier) →
``background`` (scenario and symbol definitions) and ``questions`` (templates) →
``problems`` (the five types for one equation); ``variable_table`` and ``llm_rewrite`` make and
check the optional LLM requests (the build's ``llm_stages`` sends them and gates the results).
"""

from wmbench.generate.problems import GENERATOR_VERSION, equation_problems

__all__ = ["GENERATOR_VERSION", "equation_problems"]
