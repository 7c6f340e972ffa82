"""landscape: the domain of the PCC perpetrator-programme dashboard.

Data flows one way: workbook bytes -> validation -> Survey -> Landscape model -> measures ->
figures. Nothing in this package imports streamlit.
"""

__version__ = "0.1.0"
