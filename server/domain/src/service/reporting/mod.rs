//! Figures for those who steer the programmes: national totals now;
//! 事業実施報告 and progress by prefecture next.

pub mod stats;
