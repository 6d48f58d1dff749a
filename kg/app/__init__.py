"""The Streamlit app's views; ``app.py`` at the top of the checkout is the page that uses them.

One module per tab (``explore``, ``plan``, ``today``, ``connect``, ``compare``, ``quiz``, ``checks``), the
``sidebar``, the frame around the tabs (``page``), the Custom Components (``components``), the learner's
``profile``, the session's view and its URL (``state``) and the cached loading and derived data (``data``).
Nothing outside the app imports this package: the ``kg`` command never loads Streamlit.
"""
