"""The Streamlit app's views; ``app.py`` at the top of the checkout is the page that uses them.

One module per tab (``explore``, ``plan``, ``today``, ``connect``, ``compare``, ``quiz``, ``checks``), the
``sidebar``, the frame around the tabs (``page``), the Custom Components (``components``), the learner's
``profile``, the session's view and its URL (``state``) and the cached loading and derived data (``data``);
``serve`` starts the app on a free local port for the browser tests and the benchmark (without Streamlit).
The words the app shows are in :mod:`kg.text`. The ``kg`` command never imports this package.
"""
