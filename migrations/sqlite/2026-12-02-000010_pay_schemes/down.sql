DROP TABLE road_pay_schemes;
