# generated once, bumped by shipflow
__version__: str = '1.2.0'
